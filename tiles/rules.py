# SPDX-License-Identifier: AGPL-3.0-or-later
"""The tiles' permissions (django-rules, found at start-up by rules' autodiscovery)."""

import rules

from carto_concertation.accounts.rules import is_administrator, plans_territory, relays_in_territory

# Taking a space's map offline (an MBTiles package), asked of its territory.
rules.add_perm("tiles.take_offline", is_administrator | plans_territory | relays_in_territory)
