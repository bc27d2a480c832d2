# SPDX-License-Identifier: AGPL-3.0-or-later
"""The notice board's section of "download my data" (declared in its manifest)."""

from carto_concertation.accounts.export import ExportSection, iso, located_section

from .models import Notice


def notices_section(user) -> ExportSection:
    return located_section(
        "notices",
        Notice.objects.filter(author=user).select_related("space"),
        lambda notice: {
            "id": notice.pk,
            "space": notice.space.slug,
            "text": notice.text,
            "created_at": iso(notice.created_at),
        },
        geometry="location",
    )
