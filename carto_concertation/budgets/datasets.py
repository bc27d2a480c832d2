# SPDX-License-Identifier: AGPL-3.0-or-later
"""The participatory budget's open dataset: every property of a project that may leave
the server. The tiles, the API and the exports pick theirs here; the submitter (account,
pseudonym, e-mail address) is not declared, so no public surface can publish them — an
association carrying a project is, by its name.

Its features (opendata: OGC API, the open files) are the projects of every published
edition, where the module is on, with the results — the votes a project got and whether
it was selected — once the edition's results are published, and only then."""

from collections.abc import Sequence

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from carto_concertation.budgets import MODULE
from carto_concertation.core.modules import (
    SITE_WIDE,
    DatasetDeclaration,
    FeatureSource,
    PublicField,
    published_moment,
)
from carto_concertation.territories.selectors import module_on

from .models import Project, ResultRun
from .selectors.projects import supporter_count

INTEGER, ARRAY, DATE_TIME = "integer", "array", "date-time"
# The projects' tilesets: ``budget-<edition or space slug>``, the site-wide one (tiles.py).
TILESET_PREFIX = "budget-"


def projects_open() -> QuerySet[Project]:
    """Every project of a published edition (all are public once submitted, but a banned
    account's held for the analysis, as ``selectors.projects.projects_public`` says), where
    the module is on."""
    return (
        Project.objects.filter(
            module_on(MODULE, "edition__territory"), edition__is_published=True, held=False
        )
        .select_related("edition", "district")
        .prefetch_related("photos")
        .annotate(supporter_count=supporter_count())
        .defer("geom", "geom_3857", "submitter")
    )


def _published_results(edition_ids: set[int]) -> dict[str, dict]:
    """The explanation of each project counted by its edition's published results (one
    run, or one per district), by project pk as text; none before publication."""
    found: dict[str, dict] = {}
    for run in ResultRun.objects.filter(edition__in=edition_ids, is_published=True):
        found.update(run.explanations)
    return found


def _absolute(base_url: str, url: str) -> str:
    return url if "://" in url else base_url + url


def project_properties(rows: Sequence[Project], base_url: str) -> list[dict]:
    """Each project's open properties, with its result once published."""
    results = _published_results({project.edition_id for project in rows})
    answered = []
    for project in rows:
        result = results.get(str(project.pk))
        answered.append(
            {
                "id": project.pk,
                "edition": project.edition.slug,
                "number": project.number,
                "title": project.title,
                "description": project.description,
                "status": project.status,
                "status_label": str(project.get_status_display()),
                "analysis_reason": project.analysis_reason or None,
                "district": project.district.name if project.district else None,
                "district_id": project.district_id,
                "estimated_cost": project.estimated_cost,
                "revised_cost": project.revised_cost,
                "cost": project.cost,
                "association": project.association or None,
                "supporters": project.supporter_count,
                "photos": [_absolute(base_url, photo.image.url) for photo in project.photos.all()],
                "votes": result["votes"] if result else None,
                "selected": result["selected"] if result else None,
                "created_at": published_moment(project.created_at),
            }
        )
    return answered


PROJECTS = DatasetDeclaration(
    name="budgets",
    title=_("Participatory budget projects"),
    description=_(
        "The projects residents proposed to the participatory budget of their territory,"
        " with their place, district, cost and where they stand: proposed, admissible,"
        " put to the vote, winner, completed."
    ),
    geometry_type="Geometry",
    fields=(
        PublicField("id", _("identifier"), INTEGER),
        PublicField("edition", _("edition (its slug)")),
        PublicField("number", _("number in the edition"), INTEGER),
        PublicField("title", _("title")),
        PublicField("description", _("description")),
        PublicField("status", _("status")),
        PublicField("status_label", _("status (in words)")),
        PublicField("analysis_reason", _("reason of the decision")),
        PublicField("district", _("district")),
        PublicField("district_id", _("district (its identifier)"), INTEGER),
        PublicField("estimated_cost", _("estimated cost (euros)"), INTEGER),
        PublicField("revised_cost", _("revised cost (euros)"), INTEGER),
        PublicField("cost", _("cost counted (euros)"), INTEGER),
        PublicField("association", _("association carrying it")),
        PublicField("supporters", _("supporters"), INTEGER),
        PublicField("photos", _("photos"), ARRAY),
        # The results, once the edition's are published (None before, or when the project
        # was not put to the vote).
        PublicField("votes", _("votes"), INTEGER),
        PublicField("selected", _("selected by the vote"), "boolean"),
        PublicField("created_at", _("submitted at"), "string", DATE_TIME),
    ),
    tileset=f"{TILESET_PREFIX}{SITE_WIDE}",
    features=FeatureSource(
        rows=projects_open,
        properties=project_properties,
        moment="created_at",
        territory="edition__territory",
    ),
    keywords=("budget participatif", "participation citoyenne", "projets", "vote"),
)
