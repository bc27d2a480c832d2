# SPDX-License-Identifier: AGPL-3.0-or-later
"""The crowdfunding portal's demo (the ``demo`` slot of the manifest), on the demo
territory: nine projects in nine of its communes, in every state of a project's life —
submitted, refused with its public reason, accepted with its campaign to come, two
campaigns under way, two funded (among them a solar roof lent by the residents at 1.8 %
like Buxerolles'), one not funded, one inaugurated — with their photos, the history of
their figures (a correction with its reason, an import of a platform's export), the news
of their works and followers among the demo accounts.

The rows are written through the models (the services are the module's other parts) but
hold every rule those services enforce: each place lies inside its commune, links are
https, a loan states its terms, a campaign ends after it starts, a lower figure gives its
reason, figures come in during the campaign or within 30 days of its end, news of the
works come after the campaign and never in the future. Photos are drawn here (Pillow)."""

import io
from datetime import date, datetime, time, timedelta

from django.contrib.gis.geos import GEOSGeometry, MultiPolygon, Point, Polygon
from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from PIL import Image, ImageDraw

from carto_concertation.core.modules import DemoBackbone
from carto_concertation.territories.models import Commune, Territory

from ..models import (
    FundingImport,
    FundingUpdate,
    Project,
    ProjectFollower,
    ProjectPhoto,
    WorksUpdate,
)
from .content import PROJECTS, DemoProject, Figures

# From a commune's point on surface, a project stands this far east and south (metres),
# off the other modules' demo things that start from the same point.
OFFSET = 180


def crowdfunding_demo(backbone: DemoBackbone) -> str | None:
    """Once, on the demo territory only."""
    territory = backbone.territory
    if territory is None or Project.objects.filter(territory=territory).exists():
        return None
    communes = {c.insee: c for c in Commune.objects.filter(territory=territory)}
    today = timezone.localdate()
    made = [_project(content, territory, communes, backbone, today) for content in PROJECTS]
    states = {project.status for project in made}
    return _(
        "Demo crowdfunding portal: %(projects)s projects in %(states)s states, "
        "%(raised)s € raised from %(contributors)s contributors"
    ) % {
        "projects": len(made),
        "states": len(states),
        "raised": number_format(sum(project.raised for project in made), force_grouping=True),
        "contributors": sum(project.contributors for project in made),
    }


def _project(
    content: DemoProject,
    territory: Territory,
    communes: dict[str, Commune],
    backbone: DemoBackbone,
    today: date,
) -> Project:
    commune = communes[content.insee]
    planner = backbone.accounts.get("planner")
    submitter = backbone.accounts.get(content.submitter)
    starts, ends = content.campaign
    project = Project.objects.create(
        territory=territory,
        commune=commune,
        slug=content.slug,
        title=content.title,
        summary=content.summary,
        description=content.description,
        theme=content.theme,
        geom=_place(commune.geom, content.area),
        porteur_kind=content.porteur_kind,
        porteur_name=content.porteur_name,
        submitter=submitter,
        modality=content.modality,
        interest_rate=content.interest_rate,
        loan_months=content.loan_months,
        goal=content.goal,
        total_budget=content.total_budget,
        campaign_starts_on=today + timedelta(days=starts),
        campaign_ends_on=today + timedelta(days=ends),
        platform=content.platform,
        platform_name=content.platform_name,
        campaign_url=content.campaign_url,
        supported=content.supported,
        cofunding=content.cofunding,
        public_meeting_on=(
            today + timedelta(days=content.public_meeting[0]) if content.public_meeting else None
        ),
        public_meeting_place=content.public_meeting[1] if content.public_meeting else "",
        status=content.status,
        refusal_reason=content.refusal_reason,
        decided_at=_at(today, content.decided, hour=11) if content.decided is not None else None,
        decided_by=planner if content.decided is not None else None,
    )
    # Submitted on its day, not on the day the demo was loaded (auto_now_add).
    Project.objects.filter(pk=project.pk).update(created_at=_at(today, content.submitted))
    for number, caption in enumerate(content.photos):
        photo = ProjectPhoto(project=project, caption=caption)
        photo.image.save(
            f"{content.slug}-{number + 1}.jpg", _photo(content.colour, number), save=False
        )
        photo.save()
    _figures(project, content.figures, today, submitter=submitter, agent=planner)
    _news(project, content, today, author=submitter)
    ProjectFollower.objects.bulk_create(
        ProjectFollower(project=project, user=backbone.accounts[role])
        for role in content.followers
        if role in backbone.accounts
    )
    return project


def _at(today: date, day: int, hour: int = 9) -> datetime:
    return timezone.make_aware(datetime.combine(today + timedelta(days=day), time(hour)))


def _place(outline: GEOSGeometry, width: int) -> GEOSGeometry:
    """A point inside the commune, or a square ``width`` metres wide inside it (halved
    until it fits)."""
    centre = outline.point_on_surface
    point = Point(centre.x + OFFSET, centre.y - OFFSET, srid=outline.srid)
    if not outline.covers(point):
        point = centre
    while width >= 50:
        half = width / 2
        x, y = point.x, point.y
        ring = ((x - half, y - half), (x + half, y - half), (x + half, y + half))
        square = MultiPolygon(
            Polygon((*ring, (x - half, y + half), (x - half, y - half))), srid=outline.srid
        )
        if outline.covers(square):
            return square
        width //= 2
    return point


def _figures(
    project: Project, figures: tuple[Figures, ...], today: date, *, submitter, agent
) -> None:
    """Each update as it came (its own date), the project holding the last one."""
    for figure in figures:
        funding_import = None
        if figure.export is not None:
            lines, set_aside = figure.export
            funding_import = FundingImport.objects.create(
                project=project,
                file_name=f"export-contributions-{project.platform}.csv",
                layout="generic",
                lines=lines,
                counted=lines - set_aside,
                set_aside=set_aside,
                imported_by=submitter,
            )
        update = FundingUpdate.objects.create(
            project=project,
            raised=figure.raised,
            contributors=figure.contributors,
            source=figure.source,
            correction_reason=figure.correction_reason,
            funding_import=funding_import,
            entered_by=agent if figure.source == FundingUpdate.Source.AGENT else submitter,
        )
        when = _at(today, figure.day, hour=18)
        FundingUpdate.objects.filter(pk=update.pk).update(created_at=when)
        if funding_import is not None:
            FundingImport.objects.filter(pk=funding_import.pk).update(created_at=when)
    if figures:
        last = figures[-1]
        project.raised, project.contributors = last.raised, last.contributors
        project.figures_updated_at = _at(today, last.day, hour=18)
        project.save(update_fields=["raised", "contributors", "figures_updated_at"])


def _news(project: Project, content: DemoProject, today: date, *, author) -> None:
    for number, item in enumerate(content.news):
        update = WorksUpdate(
            project=project,
            date=today + timedelta(days=item.day),
            text=item.text,
            inaugurated=item.inaugurated,
            author=author,
        )
        if item.photo:
            update.photo.save(
                f"{project.slug}-travaux-{number + 1}.jpg",
                _photo(content.colour, number + 1),
                save=False,
            )
        update.save()
        WorksUpdate.objects.filter(pk=update.pk).update(created_at=_at(today, item.day, 17))


def _photo(colour: tuple[int, int, int], variant: int) -> ContentFile:
    """A small landscape: a sky, a field in the project's colour, a building, a sun."""
    image = Image.new("RGB", (640, 400), (198, 226, 245))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 260, 640, 400), fill=colour)
    left = 120 + 140 * (variant % 3)
    draw.rectangle((left, 170, left + 220, 280), fill=(236, 226, 208))
    draw.polygon(((left - 20, 175), (left + 110, 95), (left + 240, 175)), fill=(150, 60, 45))
    draw.ellipse((520, 40, 590, 110), fill=(255, 214, 80))
    output = io.BytesIO()
    image.save(output, format="JPEG", quality=80)
    return ContentFile(output.getvalue())
