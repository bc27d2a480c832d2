# SPDX-License-Identifier: AGPL-3.0-or-later
"""The crowdfunding portal's sections of "download my data" (declared in the manifest):
the projects the person submitted (with their places and what the collectivité
decided), the projects they follow, the news of the works they wrote and the figures
they typed in or imported. No
contribution is here: the money goes through the platforms, the portal holds none."""

from carto_concertation.accounts.export import ExportSection, iso, located_section

from .models import FundingUpdate, Project, ProjectFollower, WorksUpdate


def _project(project: Project) -> dict:
    return {
        "slug": project.slug,
        "title": project.title,
        "summary": project.summary,
        "description": project.description,
        "theme": project.theme,
        "commune": project.commune.name if project.commune_id else None,
        "porteur_kind": project.porteur_kind,
        "porteur_name": project.porteur_name,
        "modality": project.modality,
        "interest_rate": str(project.interest_rate) if project.interest_rate is not None else None,
        "loan_months": project.loan_months,
        "goal": project.goal,
        "total_budget": project.total_budget,
        "campaign_starts_on": project.campaign_starts_on.isoformat(),
        "campaign_ends_on": project.campaign_ends_on.isoformat(),
        "platform": project.platform,
        "campaign_url": project.campaign_url,
        "raised": project.raised,
        "contributors": project.contributors,
        "status": project.status,
        "refusal_reason": project.refusal_reason,
        "photos": [photo.image.name for photo in project.photos.all()],
        "created_at": iso(project.created_at),
    }


def projects_section(user) -> ExportSection:
    rows = (
        Project.objects.filter(submitter=user).select_related("commune").prefetch_related("photos")
    )
    return located_section("crowdfunding_projects", rows, _project, geometry="geom")


def follows_section(user) -> ExportSection:
    rows = ProjectFollower.objects.filter(user=user).select_related("project")
    return located_section(
        "crowdfunding_follows",
        rows,
        lambda follow: {
            "project": follow.project.slug,
            "title": follow.project.title,
            "since": iso(follow.created_at),
        },
        geometry="project__geom",
    )


def news_section(user) -> ExportSection:
    rows = WorksUpdate.objects.filter(author=user).select_related("project")
    return ExportSection(
        name="crowdfunding_news",
        records=[
            {
                "project": update.project.slug,
                "date": update.date.isoformat(),
                "text": update.text,
                "photo": update.photo.name or None,
                "inaugurated": update.inaugurated,
                "created_at": iso(update.created_at),
            }
            for update in rows.order_by("created_at", "pk")
        ],
    )


def figures_section(user) -> ExportSection:
    rows = FundingUpdate.objects.filter(entered_by=user).select_related("project")
    return ExportSection(
        name="crowdfunding_figures",
        records=[
            {
                "project": update.project.slug,
                "raised": update.raised,
                "contributors": update.contributors,
                "source": update.source,
                "correction_reason": update.correction_reason,
                "created_at": iso(update.created_at),
            }
            for update in rows.order_by("created_at", "pk")
        ],
    )
