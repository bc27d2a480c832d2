# SPDX-License-Identifier: AGPL-3.0-or-later
"""The ideas' demo: what it says (content.py) and how it is written (load.py)."""

from .content import DEMO_RESIDENTS, IDEAS, THEMES
from .load import ideas_demo_load

__all__ = ["DEMO_RESIDENTS", "IDEAS", "THEMES", "ideas_demo_load"]
