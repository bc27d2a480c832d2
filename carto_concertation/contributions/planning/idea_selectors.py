# SPDX-License-Identifier: AGPL-3.0-or-later
"""What the planner's page of an idea reads: the idea with its zones and their pages of
the règlement, its comments, its history, its internal notes; and the published bilan."""

import json
from dataclasses import dataclass
from datetime import datetime

from django.contrib.gis.db.models.functions import AsGeoJSON, Transform
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from carto_concertation.concertations.models import Concertation, Phase
from carto_concertation.engagement.models import Comment, ModerationAction
from plui_documents.models import RegulationLink, Zone

from ..models import BilanPublication, Contribution, InternalNote


def idea_for_planner(*, concertation: Concertation, pk: int) -> Contribution | None:
    """Any idea of the concertation, whatever its status (hidden ones included: the
    planner reads what moderation hid, the public does not)."""
    return (
        Contribution.objects.filter(concertation=concertation, pk=pk)
        .select_related("commune", "concertation__territory", "concertation__plui_document")
        .prefetch_related("themes", "photos", "zone_links__zone")
        .annotate(geom_wgs84=Transform("geom", 4326))
        .first()
    )


@dataclass(frozen=True)
class ZoneRow:
    libelle: str
    libelong: str
    typezone: str
    share: float
    pages: list[tuple[str, int, int, str]]  # document, first page, last page, URL


def idea_zones(contribution: Contribution) -> list[ZoneRow]:
    """The zones the idea falls in, largest share first, each with the pages of the
    règlement that speak of it (RegulationLink), opened at the right page."""
    links = sorted(contribution.zone_links.all(), key=lambda link: (-link.share, link.zone.libelle))
    pages: dict[tuple[int, str], list] = {}
    for regulation in RegulationLink.objects.filter(
        version__in={link.zone.version_id for link in links},
        libelle__in={link.zone.libelle for link in links},
    ).select_related("piece"):
        url = reverse("api:plui-piece-file", args=[regulation.piece_id])
        pages.setdefault((regulation.version_id, regulation.libelle), []).append(
            (
                regulation.piece.filename,
                regulation.page_start,
                regulation.page_end,
                f"{url}#page={regulation.page_start}",
            )
        )
    return [
        ZoneRow(
            libelle=link.zone.libelle,
            libelong=link.zone.libelong,
            typezone=link.zone.typezone,
            share=link.share,
            pages=pages.get((link.zone.version_id, link.zone.libelle), []),
        )
        for link in links
    ]


def idea_zones_geojson(contribution: Contribution) -> dict:
    """The outlines of the zones the idea falls in (GeoJSON, WGS84), for its map."""
    zones = Zone.objects.filter(contribution_links__contribution=contribution).annotate(
        geojson=AsGeoJSON(Transform("geom", 4326), precision=6)
    )
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": json.loads(zone.geojson),
                "properties": {"libelle": zone.libelle, "typezone": zone.typezone},
            }
            for zone in zones
        ],
    }


def idea_comments(contribution: Contribution) -> QuerySet[Comment]:
    """Every comment on the idea, with its status (the planner sees hidden ones too)."""
    return Comment.objects.of(contribution).select_related("author").order_by("created_at", "pk")


@dataclass(frozen=True)
class HistoryRow:
    at: datetime
    action: str
    detail: str


def idea_history(contribution: Contribution) -> list[HistoryRow]:
    """What happened to the idea, oldest first: its creation, the moderation actions
    and answers of the public log, the last answer given (with its service)."""
    rows = [HistoryRow(contribution.created_at, _("received"), contribution.get_channel_display())]
    for action in ModerationAction.objects.filter(contribution=contribution).order_by(
        "created_at", "pk"
    ):
        rows.append(HistoryRow(action.created_at, action.get_action_display(), action.reason))
    return sorted(rows, key=lambda row: row.at)


def idea_notes(contribution: Contribution) -> QuerySet[InternalNote]:
    return contribution.internal_notes.select_related("author").order_by("-created_at", "-pk")


def bilan_publication(concertation: Concertation) -> BilanPublication | None:
    return BilanPublication.objects.filter(concertation=concertation).select_related("job").first()


def bilan_phase_started(concertation: Concertation, at: datetime | None = None) -> bool:
    """The concertation has reached its "bilan" phase (and stays there)."""
    return concertation.phases.filter(
        kind=Phase.Kind.BILAN, starts_at__lte=at or timezone.now()
    ).exists()


def bilan_public(concertation: Concertation) -> BilanPublication | None:
    """The bilan residents may read: published, once the bilan phase has begun."""
    publication = bilan_publication(concertation)
    if publication is None or not bilan_phase_started(concertation):
        return None
    return publication
