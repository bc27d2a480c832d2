# SPDX-License-Identifier: AGPL-3.0-or-later
from django.dispatch import Signal

# Sent once the transaction that made a version the current one of its document has
# committed; arguments: ``version`` (DocumentVersion). Apps that join their data to the
# zoning (contributions…) listen, so that this app needs to know none of them.
version_made_current = Signal()

# The tileset of the current zoning (layers.py), announced changed (core.changes) when a
# version becomes current: apps that draw on the zoning listen for this name.
ZONING_TILESET = "zoning"

# The zone fields the zoning tiles carry (layers.py), copied into the generalised zones.
ZONE_FIELDS = ("libelle", "libelong", "typezone", "destdomi", "nomfic", "urlfic")
