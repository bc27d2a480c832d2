# SPDX-License-Identifier: AGPL-3.0-or-later
"""Each part of the consultation declares its own paths here (one module per part, each
with ``api_patterns`` and ``page_patterns``); urls.py puts them together in order."""
