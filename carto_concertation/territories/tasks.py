# SPDX-License-Identifier: AGPL-3.0-or-later
from celery import shared_task

from . import services


@shared_task
def territory_refresh_outline_task(territory_id: int) -> dict:
    """Recompute an EPCI's outline after its communes changed (passes the id only)."""
    territory = services.territory_refresh_outline(territory_id=territory_id)
    return {"territory": territory.siren, "area_km2": round(territory.geom.area / 1e6, 3)}
