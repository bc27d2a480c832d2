# SPDX-License-Identifier: AGPL-3.0-or-later
"""The site's URLs, composed from the registry (carto_concertation/urls.py), are the ones
that were written by hand before: same names, same paths, same matches."""

import json

from .url_table import url_table


def test_every_url_name_reverses_and_resolves_as_before_the_composition(data_dir):
    before = json.loads((data_dir / "urls.json").read_text())
    # Paths of disjoint prefixes may come in another order; what matches a path may not.
    assert sorted(url_table(), key=json.dumps) == sorted(before, key=json.dumps)
