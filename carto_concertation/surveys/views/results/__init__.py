# SPDX-License-Identifier: AGPL-3.0-or-later
"""The results' pages, in French and without JavaScript: the public results
(public.py), the organisers' page (manage.py) and the moderators' free texts (texts.py)."""
