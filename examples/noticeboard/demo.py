# SPDX-License-Identifier: AGPL-3.0-or-later
"""The notice board's demo: one notice in the middle of each space of the demo territory."""

from django.utils.translation import gettext as _

from carto_concertation.core.modules import DemoBackbone, space_public

from .models import Notice


def noticeboard_demo(backbone: DemoBackbone) -> str | None:
    from carto_concertation.concertations.models import Concertation

    if backbone.territory is None:
        return None
    author = backbone.accounts.get("resident")
    written = 0
    for slug in Concertation.objects.filter(territory=backbone.territory).values_list(
        "slug", flat=True
    ):
        space = space_public(slug)
        if space is None or not space.perimeter:
            continue
        Notice.objects.create(
            space_id=space.pk,
            author=author,
            text=_("Public meeting at the town hall, Thursday at 6 pm."),
            location=space.perimeter.point_on_surface,
        )
        written += 1
    return f"notice board: {written} notice(s)" if written else None
