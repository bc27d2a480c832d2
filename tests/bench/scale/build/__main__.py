# SPDX-License-Identifier: AGPL-3.0-or-later
"""``python -m tests.bench.scale.build x1 x10 …``: build or bring up to date each size."""

import sys

from . import SIZES, ensure

for name in sys.argv[1:] or ["x1"]:
    print(name, ensure(SIZES[name]), flush=True)
