# SPDX-License-Identifier: AGPL-3.0-or-later
"""The planners' dashboard of a concertation: filters, figures, tables and bar charts
rendered on the server (readable without JavaScript, and the list alternative of the
map); the map, the answers and the bilan are driven by frontend/src/dashboard/."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from carto_concertation.concertations.figures import space_figures_table
from carto_concertation.concertations.models import Concertation
from carto_concertation.concertations.selectors import concertation_map_space_of
from carto_concertation.core.modules import space_public_shared
from carto_concertation.territories.selectors import module_on

from ..manifest import IDEAS
from ..map_page import concertation_style_inline
from ..models import AnswerTemplate, Contribution
from ..moderation import NEXT_STATUSES
from . import answer_templates, bilan, idea_selectors
from .permissions import is_planner_of
from .stats import ZONE_TABLE_MAX, perimeter_extent, stats_figures, stats_zone_counts
from .stats_filters import StatsFilter, contributions_filtered

# The export buttons: every format of the open-data export (exports/), by its label.
EXPORT_FORMATS = (
    ("geojson", "GeoJSON"),
    ("csv", "CSV"),
    ("gpkg", "GeoPackage"),
    ("ods", "ODS (LibreOffice)"),
    ("xlsx", "XLSX (Excel)"),
)

# The list under the figures: the most recent ones (the filters narrow it down).
LIST_MAX = 300
LISTED_FIELDS = (
    "title", "status", "channel", "created_at", "assigned_service", "commune__name",
)  # fmt: skip


def _strings() -> dict[str, str]:
    return {
        "mapLabel": _("Map of the contributions over the zoning"),
        "perZone": _("Contributions per zone"),
        "perCommune": _("Contributions per commune"),
        "heatmap": _("Heat map"),
        "contributions": _("contributions"),
        "chooseTemplate": _("Choose an answer template."),
        "chooseContributions": _("Tick the contributions to answer."),
        "answered": _("Answered: %(count)s contribution(s)."),
        "failed": _("That did not work:"),
        "bilanStarted": _("The bilan is being generated…"),
        "bilanReady": _("The bilan is ready."),
        "perKm2": _("contributions per km²"),
        "legendCount": _("Contributions per class"),
        "legendDensity": _("Contributions per km², per class"),
        "legendHeat": _("Contributions per cell"),
        "ideasHere": _("Contributions here"),
        "moreIdeas": _("and %(count)s more (narrow the filters)"),
        "noIdeas": _("No contribution here."),
        "templateSaved": _("Template saved."),
        "templateDeleted": _("Template deleted."),
        "confirmTemplateDelete": _(
            "Delete the template “%(title)s”? The answers already given keep their text."
        ),
    }


def _crossed(figures: dict, concertation: Concertation) -> tuple[list[str], list[dict]]:
    """Themes × TYPEZONE as rows (themes, then no theme) and columns (TYPEZONE)."""
    typezones = sorted({r["typezone"] for r in figures["themes_by_typezone"]})
    cells = {(r["theme"], r["typezone"]): r["count"] for r in figures["themes_by_typezone"]}
    rows = [(t.pk, t.name) for t in concertation.themes.all()] + [(None, _("no theme"))]
    return typezones, [
        {"name": name, "counts": [cells.get((pk, tz), 0) for tz in typezones]}
        for pk, name in rows
        if any(cells.get((pk, tz)) for tz in typezones)
    ]


def _charts(figures: dict) -> list[dict]:
    """The figures as bar charts: a title and rows (label, count, percent of the top)."""
    charts = []
    for title, key, label in (
        (_("Per status"), "by_status", "label"),
        (_("Per channel"), "by_channel", "label"),
        (_("Per theme"), "by_theme", "name"),
        (_("Per commune"), "by_commune", "name"),
        (_("Per TYPEZONE"), "by_typezone", "typezone"),
        (_("Per week"), "by_week", "week"),
    ):
        top = max((row["count"] for row in figures[key]), default=0) or 1
        charts.append(
            {
                "key": key,
                "title": title,
                "rows": [
                    (row[label], row["count"], round(100 * row["count"] / top))
                    for row in figures[key]
                ],
            }
        )
    return charts


def _zone_table(zones: list[dict]) -> tuple[list[dict], int]:
    """The most counted zones (the map's choropleth as a table, read without
    JavaScript) and how many more zones have contributions."""
    ranked = sorted(zones, key=lambda zone: (-zone["count"], zone["libelle"], zone["id"]))
    return ranked[:ZONE_TABLE_MAX], max(0, len(ranked) - ZONE_TABLE_MAX)


# A row of the list, made here rather than in the template: 300 rows through the
# template's tags took ~20 ms of the page (tests/bench/test_load.py's dashboard).
LIST_ROW = (
    '<tr><td>{}</td><td><a href="{}">{}</a>{}</td><td class="status-cell">{}</td>'
    "<td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>"
)
LIST_TICK = (
    '<input type="checkbox" name="ids" value="{}" id="pick-{}" form="bulk-answer" aria-label="{}">'
)


def _listed(contributions: QuerySet[Contribution], slug: str, answerable: set[str]) -> list:
    """The newest LIST_MAX contributions as the dashboard's list shows them, each row's
    HTML (escaped here, once) with only the fields it shows: a whole row would bring the
    text and both geometries, parsed for each."""
    # The idea's planning page, its id in place of the 0 (one reverse for the list).
    before, after = reverse("contribution-planning", args=[slug, 0]).rsplit("/0/", 1)
    statuses, channels = dict(Contribution.Status.choices), dict(Contribution.Channel.choices)
    listed = list(
        contributions.select_related("commune")
        .only(*LISTED_FIELDS)
        .order_by("-created_at")[:LIST_MAX]
    )
    # Their themes' names in one query (a prefetch makes a queryset per row).
    themes: dict[int, list[str]] = {}
    for idea_id, name in (
        Contribution.themes.through.objects.filter(contribution__in=[idea.pk for idea in listed])
        .order_by("contribution_id", "theme__name", "theme__pk")
        .values_list("contribution_id", "theme__name")
    ):
        themes.setdefault(idea_id, []).append(name)
    return [
        format_html(
            LIST_ROW,
            format_html(LIST_TICK, idea.pk, idea.pk, _("Tick “%(title)s”") % {"title": idea.title})
            if idea.status in answerable
            else "",
            f"{before}/{idea.pk}/{after}",
            idea.title,
            format_html(' <span class="meta">({})</span>', idea.assigned_service)
            if idea.assigned_service
            else "",
            statuses[idea.status],
            idea.commune.name if idea.commune else "—",
            ", ".join(themes.get(idea.pk, ())),
            channels[idea.channel],
            date_format(localtime(idea.created_at), "SHORT_DATE_FORMAT"),
        )
        for idea in listed
    ]


def _space_figures(concertation: Concertation) -> tuple[list[tuple[str, str]], list[dict]]:
    """Every module's figures per commune, the space being the one read here already."""
    with space_public_shared(concertation_map_space_of(concertation)):
        return space_figures_table(concertation.slug)


@login_required
def dashboard_page(request: HttpRequest, slug: str) -> HttpResponse:
    # Its themes, phases and modules read once: the figures, the crossed table, the
    # template and the space's figures (below) all read them.
    concertation = get_object_or_404(
        Concertation.objects.select_related("territory", "plui_document")
        .prefetch_related("themes", "phases", "modules")
        .filter(module_on(IDEAS.name)),
        slug=slug,
    )
    if not is_planner_of(concertation=concertation, user=request.user):
        raise PermissionDenied(_("Only the planners of this territory may see this dashboard."))
    form = StatsFilter(request.GET, concertation=concertation).form
    errors = {}
    try:
        contributions = contributions_filtered(concertation=concertation, params=request.GET)
    except ValidationError as exc:
        # Each bad parameter under its label, in the page's language.
        errors = {
            form.fields[name].label if name in form.fields else name: messages
            for name, messages in exc.message_dict.items()
        }
        contributions = Contribution.objects.none()
    figures = stats_figures(concertation=concertation, contributions=contributions)
    typezones, crossed = _crossed(figures, concertation)
    zone_rows, zones_more = _zone_table(
        stats_zone_counts(concertation=concertation, contributions=contributions)["zones"]
    )
    api = "api:{}".format
    config = {
        "slug": concertation.slug,
        "query": request.GET.urlencode(),
        # The style comes with the page, as the map page's (two round trips less).
        "style": concertation_style_inline(request, concertation),
        "zonesUrl": reverse(api("stats-zone-counts"), args=[slug]),
        "communesUrl": reverse(api("stats-communes"), args=[slug]),
        "areaIdeasUrl": reverse(api("stats-area-ideas"), args=[slug]),
        "heatmapUrl": reverse(api("concertation-heatmap"), args=[slug]),
        "templatesUrl": reverse(api("answer-template-list"), args=[slug]),
        "templateUrl": reverse(api("answer-template-detail"), args=[slug, 0]),
        "bulkUrl": reverse(api("answer-bulk"), args=[slug]),
        "bilansUrl": reverse(api("bilan-list"), args=[slug]),
        "planningUrl": reverse("contribution-planning", args=[slug, 0]),
        "jobUrl": reverse(api("job-detail"), args=["00000000-0000-0000-0000-000000000000"]),
        "bounds": [round(v, 6) for v in perimeter_extent(concertation)],
        "strings": _strings(),
    }
    answerable = {status for status, nexts in NEXT_STATUSES.items() if nexts}
    return render(
        request,
        "contributions/planning/dashboard.html",
        {
            "concertation": concertation,
            "form": form,
            "errors": errors,
            "figures": figures,
            "charts": _charts(figures),
            "typezones": typezones,
            "crossed": crossed,
            "zone_rows": zone_rows,
            "zones_more": zones_more,
            "listed": _listed(contributions, concertation.slug, answerable),
            "answerable": answerable,
            "templates": answer_templates.answer_template_list(concertation=concertation),
            "template_statuses": AnswerTemplate.Status.choices,
            "bilans": bilan.bilan_jobs(concertation)[:10],
            "publication": idea_selectors.bilan_publication(concertation),
            "bilan_phase": idea_selectors.bilan_phase_started(concertation),
            "export_formats": EXPORT_FORMATS,
            # Every module's public figures per commune (the space reads the registry).
            "space_figures": _space_figures(concertation),
            "config": config,
        },
        status=400 if errors else 200,
    )
