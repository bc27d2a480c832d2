# SPDX-License-Identifier: AGPL-3.0-or-later
"""The bilan de la concertation: a self-contained HTML report (process, participation,
maps, a synthesis per zone, every public contribution with its answer) and its PDF,
printed by headless Chromium. Built by a Celery task (tasks.py) with its progress."""

import subprocess
import tempfile
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.contrib.gis.db.models.functions import PointOnSurface, Transform
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from carto_concertation.concertations.models import Concertation
from carto_concertation.core.models import Job

from ..models import Contribution
from ..selectors import PUBLIC_STATUSES
from . import bilan_maps
from .stats import perimeter_extent, stats_communes, stats_figures, stats_zones
from .stats_filters import COUNTED_STATUSES

JOB_KIND = "bilan"
FORMATS = {"html": "text/html; charset=utf-8", "pdf": "application/pdf"}
LEAFLET = ("vendor/leaflet/leaflet.js", "vendor/leaflet/leaflet.css")
# Chromium must not call Google's hosts nor wait for a network it will not get.
CHROMIUM_ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-pdf-header-footer",
    # Leaves Leaflet the time to draw the maps before the page is printed.
    "--virtual-time-budget=10000",
)


def bilan_path(*, job_id: str, fmt: str) -> Path:
    return Path(settings.MEDIA_ROOT) / "bilans" / f"{job_id}.{fmt}"


def _part_path(*, job_id: str, fmt: str) -> Path:
    """Where an attempt writes a file before it is whole: a hidden name in the same
    directory (the rename is then atomic), which no download names. It keeps the format's
    extension: Chromium prints to a ``.pdf`` name only."""
    return bilan_path(job_id=job_id, fmt=fmt).with_name(f".{job_id}.part.{fmt}")


def bilan_parts_drop(job_id: str) -> None:
    """Delete what an attempt left half-written (a worker killed while it printed): on
    the next attempt, or when the job is given up (core.jobs.job_attempt_abandoned)."""
    for fmt in FORMATS:
        _part_path(job_id=job_id, fmt=fmt).unlink(missing_ok=True)


def bilan_jobs(concertation: Concertation):
    return Job.objects.filter(kind=JOB_KIND, params__concertation_id=concertation.pk).order_by(
        "-created_at"
    )


def bilan_job(*, concertation: Concertation, job_id) -> Job | None:
    return bilan_jobs(concertation).filter(pk=job_id, status=Job.Status.SUCCEEDED).first()


def _static_text(path: str) -> str:
    """A vendored file (frontend/dist in development, STATIC_ROOT once collected)."""
    found = finders.find(path) or Path(settings.STATIC_ROOT) / path
    return Path(found).read_text(encoding="utf-8")


def _public_contributions(concertation: Concertation) -> list[Contribution]:
    """Every public contribution, oldest first, numbered as on the maps."""
    contributions = list(
        Contribution.objects.filter(concertation=concertation, status__in=PUBLIC_STATUSES)
        .annotate(point=Transform(PointOnSurface("geom"), 4326))
        .select_related("commune")
        .prefetch_related("themes", "zone_links__zone")
        .order_by("created_at", "pk")
    )
    for number, contribution in enumerate(contributions, start=1):
        contribution.number = number
        contribution.lon, contribution.lat = contribution.point.x, contribution.point.y
    return contributions


def zone_synthesis(contributions: list[Contribution]) -> list[dict]:
    """Per zone (LIBELLE and TYPEZONE): how many contributions, their themes, how many
    were retained or not, and the titles of those retained and not retained."""
    zones = defaultdict(lambda: {"count": 0, "themes": Counter(), "statuses": Counter()})
    for contribution in contributions:
        for link in contribution.zone_links.all():
            zone = zones[(link.zone.libelle, link.zone.typezone)]
            zone["count"] += 1
            zone["themes"].update(theme.name for theme in contribution.themes.all())
            zone["statuses"][contribution.status] += 1
            zone.setdefault(contribution.status, []).append(contribution)
    return [
        {
            "libelle": libelle,
            "typezone": typezone,
            "count": zone["count"],
            "themes": zone["themes"].most_common(),
            "retained": zone.get(Contribution.Status.RETAINED, [])
            + zone.get(Contribution.Status.PARTLY_RETAINED, []),
            "not_retained": zone.get(Contribution.Status.NOT_RETAINED, []),
            "under_study": zone["statuses"][Contribution.Status.UNDER_STUDY],
        }
        for (libelle, typezone), zone in sorted(zones.items(), key=lambda item: -item[1]["count"])
    ]


def _bounds(concertation: Concertation) -> list[list[float]]:
    west, south, east, north = perimeter_extent(concertation)
    return [[south, west], [north, east]]


def _maps(concertation: Concertation, contributions: list[Contribution]) -> list:
    counted = Contribution.objects.filter(concertation=concertation, status__in=PUBLIC_STATUSES)
    communes = stats_communes(concertation=concertation, contributions=counted)
    zones = stats_zones(concertation=concertation, contributions=counted)
    bounds = _bounds(concertation)
    maps = [
        bilan_maps.zoning_map(
            zones=zones, communes=communes, contributions=contributions, bounds=bounds
        ),
        bilan_maps.commune_map(communes=communes, bounds=bounds),
    ]
    for theme in concertation.themes.all():
        maps.append(
            bilan_maps.theme_map(
                theme=theme,
                communes=communes,
                contributions=[
                    c for c in contributions if any(t.pk == theme.pk for t in c.themes.all())
                ],
                bounds=bounds,
            )
        )
    return maps


def bilan_html(
    *, concertation: Concertation, progress: Callable[[int, str], None]
) -> tuple[str, int, int]:
    """The report's HTML, the number of maps and of contributions listed."""
    progress(5, _("Counting the participation"))
    received = Contribution.objects.filter(concertation=concertation, status__in=COUNTED_STATUSES)
    figures = stats_figures(concertation=concertation, contributions=received)
    contributions = _public_contributions(concertation)
    progress(20, _("Drawing the maps"))
    maps = _maps(concertation, contributions)
    progress(60, _("Writing the synthesis per zone"))
    html = render_to_string(
        "contributions/planning/bilan.html",
        {
            "concertation": concertation,
            "phases": concertation.phases.order_by("starts_at"),
            "figures": figures,
            "zones": zone_synthesis(contributions),
            "contributions": contributions,
            "maps": maps,
            "leaflet_js": _static_text(LEAFLET[0]),
            "leaflet_css": _static_text(LEAFLET[1]),
            "generated_at": timezone.localtime(),
        },
    )
    return html, len(maps), len(contributions)


def bilan_pdf(*, html_path: Path, pdf_path: Path) -> None:
    """Print the HTML to PDF with headless Chromium (A4, the report's own print CSS)."""
    with tempfile.TemporaryDirectory(prefix="bilan-chromium-") as profile:
        # The command is ours: the executable from settings, paths we made.
        subprocess.run(  # noqa: S603
            [
                settings.BILAN_CHROMIUM,
                *CHROMIUM_ARGS,
                f"--user-data-dir={profile}",
                f"--print-to-pdf={pdf_path}",
                html_path.as_uri(),
            ],
            check=True,
            capture_output=True,
            timeout=settings.BILAN_PDF_TIMEOUT,
        )


def bilan_build(
    *, concertation_id: int, job_id: str, language: str, progress: Callable[[int, str], None]
) -> dict:
    """Write the HTML and the PDF of a concertation's bilan under MEDIA_ROOT/bilans/,
    each under a temporary name renamed once both are whole; nothing is left of a
    failed attempt, and the previous bilan stays the one served."""
    concertation = Concertation.objects.select_related("territory", "plui_document").get(
        pk=concertation_id
    )
    parts = {fmt: _part_path(job_id=job_id, fmt=fmt) for fmt in FORMATS}
    try:
        with translation.override(language):
            html, maps, listed = bilan_html(concertation=concertation, progress=progress)
            parts["html"].parent.mkdir(parents=True, exist_ok=True)
            parts["html"].write_text(html, encoding="utf-8")
            progress(80, _("Printing the PDF"))
            bilan_pdf(html_path=parts["html"], pdf_path=parts["pdf"])
        # Whole: the final names appear at once (the job's downloads name them).
        for fmt, part in parts.items():
            part.replace(bilan_path(job_id=job_id, fmt=fmt))
    except BaseException:
        bilan_parts_drop(job_id)
        raise
    return {
        "maps": maps,
        "contributions": listed,
        "html_bytes": bilan_path(job_id=job_id, fmt="html").stat().st_size,
        "pdf_bytes": bilan_path(job_id=job_id, fmt="pdf").stat().st_size,
    }
