# SPDX-License-Identifier: AGPL-3.0-or-later
"""Reads on workshops: which ones a person may see, the capture window, the print data."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.gis.geos import GEOSGeometry
from django.db import connection
from django.db.models import Count, Q, QuerySet

from carto_concertation.accounts.models import Role
from carto_concertation.accounts.selectors import communes_for_relay, territories_for_role
from carto_concertation.concertations.models import Concertation, Phase
from carto_concertation.core.jobs import job_visible_to
from carto_concertation.core.models import Job
from carto_concertation.core.modules import module_get, module_service
from carto_concertation.territories.models import Commune
from carto_concertation.territories.selectors import module_on
from layers.selectors import CONTEXT_PREFIX
from layers.spaces import space_layers_chosen

from .models import Workshop, WorkshopCapture

# An idea's statuses whose words a summary does not repeat (contributions' Status values).
HIDDEN_STATUSES = frozenset({"hidden", "withdrawn", "merged"})


def workshop_list_for(*, user) -> QuerySet[Workshop]:
    """The workshops a person runs or oversees: a relay's communes, a planner's
    territories, everything for an administrator; nothing for anyone else. Where the
    workshops module is switched off, none (their pages and API answer 404)."""
    from .manifest import WORKSHOPS  # the manifest reads this module (account.py)

    return (
        Workshop.objects.filter(
            Q(commune__in=communes_for_relay(user=user))
            | Q(concertation__territory__in=territories_for_role(user=user, role=Role.PLANNER))
        )
        .filter(module_on(WORKSHOPS.name, "concertation__territory"))
        .select_related("concertation__territory", "commune")
        .annotate(capture_count=Count("captures"))
        .order_by("-starts_at", "-id")
    )


def workshop_communes_for(*, user, concertation: Concertation) -> QuerySet[Commune]:
    """The communes of a concertation's territory where a person may hold a workshop."""
    communes = Commune.objects.filter(territory=concertation.territory_id)
    if (
        territories_for_role(user=user, role=Role.PLANNER)
        .filter(pk=concertation.territory_id)
        .exists()
    ):
        return communes.order_by("name")
    return communes.filter(pk__in=communes_for_relay(user=user)).order_by("name")


def capture_window(*, concertation: Concertation) -> tuple[datetime, datetime | None] | None:
    """When workshop ideas may be captured: the contributions phase and a grace period
    after it, as paper maps are typed in days after the last workshop. None: no phase."""
    phase = next((p for p in concertation.phases.all() if p.kind == Phase.Kind.CONTRIBUTIONS), None)
    if phase is None:
        return None
    grace = timedelta(days=settings.WORKSHOP_CAPTURE_GRACE_DAYS)
    return phase.starts_at, phase.ends_at + grace if phase.ends_at else None


def capture_get(*, key) -> WorkshopCapture | None:
    return WorkshopCapture.objects.select_related("contribution").filter(key=key).first()


def capture_counts(*, workshop: Workshop) -> dict[str, int]:
    counts = dict(
        workshop.captures.values_list("channel").annotate(n=Count("id")).values_list("channel", "n")
    )
    return {channel: counts.get(channel, 0) for channel in WorkshopCapture.Channel.values}


@dataclass(frozen=True)
class PrintData:
    commune: GEOSGeometry
    zones: list[tuple[str, str, GEOSGeometry]]  # TYPEZONE, LIBELLE, shape in the commune
    ideas: list[tuple[int, str, GEOSGeometry]]  # number on the sheet, title, place
    # The context layers chosen for the concertation's map, clipped to the commune:
    # (title, attribution, [shapes]); raster plans are not printed.
    overlays: list[tuple[str, str, list[GEOSGeometry]]] = field(default_factory=list)


def workshop_print_data(*, workshop: Workshop, tolerance_m: float) -> PrintData:
    """The commune, its zoning clipped to it and its public ideas, in the projected
    storage SRID (metres, so the sheet has a true scale), simplified in PostGIS to what
    a pixel of the sheet can show."""
    document = workshop.concertation.plui_document_id
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT ST_AsBinary(geom) FROM territories_commune WHERE id = %s",
            [workshop.commune_id],
        )
        commune = GEOSGeometry(memoryview(cursor.fetchone()[0]), srid=settings.SRID)
        cursor.execute(
            "SELECT z.typezone, z.libelle, ST_AsBinary(ST_SimplifyPreserveTopology("
            "  ST_CollectionExtract(ST_Intersection(z.geom, c.geom), 3), %s)) "
            "FROM plui_documents_zone z JOIN territories_commune c ON c.id = %s "
            "WHERE z.version_id IN (SELECT current_version_id FROM plui_documents_urbandocument"
            "  WHERE %s::int IS NULL OR id = %s) "
            "AND ST_Intersects(z.geom, c.geom) ORDER BY z.typezone, z.libelle, z.id",
            [tolerance_m, workshop.commune_id, document, document],
        )
        zones = [
            (typezone, libelle, GEOSGeometry(memoryview(wkb), srid=settings.SRID))
            for typezone, libelle, wkb in cursor.fetchall()
            if wkb is not None
        ]
        overlays = _overlays_in_commune(cursor, workshop, tolerance_m)
    ideas = module_service("ideas", "public_ideas_in_commune")(
        concertation_id=workshop.concertation_id, commune_id=workshop.commune_id
    )
    return PrintData(
        commune=commune,
        zones=zones,
        ideas=[(number, title, geom) for number, (title, geom) in enumerate(ideas, start=1)],
        overlays=overlays,
    )


def _overlays_in_commune(cursor, workshop: Workshop, tolerance_m: float) -> list:
    """The chosen context layers' features inside the commune, simplified like the
    zoning, in the order of the concertation's map (one query per chosen layer)."""
    overlays = []
    for layer in space_layers_chosen(workshop.concertation_id):
        if layer.kind != "context":
            continue
        cursor.execute(
            "SELECT ST_AsBinary(ST_SimplifyPreserveTopology(ST_Intersection(f.geom, c.geom), %s))"
            " FROM layers_contextfeature f JOIN layers_contextlayer l ON l.id = f.layer_id"
            " JOIN territories_commune c ON c.id = %s"
            " WHERE l.name = %s AND ST_Intersects(f.geom, c.geom) ORDER BY f.id",
            [tolerance_m, workshop.commune_id, layer.name.removeprefix(CONTEXT_PREFIX)],
        )
        shapes = [
            GEOSGeometry(memoryview(wkb), srid=settings.SRID)
            for (wkb,) in cursor.fetchall()
            if wkb is not None
        ]
        if shapes:
            overlays.append((layer.title, layer.attribution, shapes))
    return overlays


def workshop_jobs_for(*, workshop: Workshop, user, kinds: dict[str, str]) -> QuerySet[Job]:
    """The person's jobs for this workshop, newest first: its printed sheets and its
    concertation's offline packages (``kinds``: the print and the package jobs' kinds)."""
    return Job.objects.filter(
        Q(kind=kinds["print"], params__workshop_id=workshop.pk)
        | Q(kind=kinds["offline"], params__concertation_id=workshop.concertation_id),
        created_by=user,
    ).order_by("-created_at")[:10]


def workshop_job_get(*, workshop: Workshop, user, job_id, kinds: dict[str, str]) -> Job | None:
    """One of those jobs, if the person may follow it (its author, or staff)."""
    job = (
        Job.objects.filter(pk=job_id)
        .filter(
            Q(kind=kinds["print"], params__workshop_id=workshop.pk)
            | Q(kind=kinds["offline"], params__concertation_id=workshop.concertation_id)
        )
        .first()
    )
    return job if job is not None and job_visible_to(job, user) else None


def accepted_geometries(*, concertation: Concertation) -> list[str]:
    """The kinds of place the concertation's ideas take (point, line, area), read from
    the ideas module's settings through the registry."""
    ideas = module_get("ideas")
    found = ideas.space_settings(concertation) if ideas and ideas.space_settings else {}
    accepted = set(found.get("accepted_geometries") or ["point"])
    return [kind for kind in ("point", "line", "area") if kind in accepted]


@dataclass(frozen=True)
class SummaryIdea:
    number: int
    title: str
    text: str
    status: str
    public: bool
    themes: list[str]
    channel: str
    geometry: GEOSGeometry


def workshop_summary_ideas(*, workshop: Workshop) -> list[SummaryIdea]:
    """The ideas captured in the workshop, numbered in the order they were captured."""
    captures = (
        workshop.captures.select_related("contribution")
        .prefetch_related("contribution__themes")
        .order_by("created_at", "id")
    )
    return [
        SummaryIdea(
            number=number,
            title=capture.contribution.title,
            text=capture.contribution.text,
            status=capture.contribution.get_status_display(),
            # Hidden, withdrawn or merged ideas show as such, not their words.
            public=capture.contribution.status not in HIDDEN_STATUSES,
            themes=[theme.name for theme in capture.contribution.themes.all()],
            channel=capture.get_channel_display(),
            geometry=capture.contribution.geom,
        )
        for number, capture in enumerate(captures, start=1)
    ]


def workshop_participant_count(*, workshop: Workshop) -> tuple[int, int]:
    """(participants named by a pseudonym, ideas captured without one): the pseudonyms
    are counted, never shown."""
    named = workshop.captures.exclude(participant="").values("participant").distinct().count()
    return named, workshop.captures.filter(participant="").count()
