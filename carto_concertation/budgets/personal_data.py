# SPDX-License-Identifier: AGPL-3.0-or-later
"""The participatory budget's sections of "download my data" (declared in the manifest):
the projects the person proposed (with their places and what the services decided) and
the projects they support. Ballots are not here: they are kept apart from identity
(models/ballots.py), so no one, the voter included, can link a ballot to a person."""

import json

from django.db.models import QuerySet

from carto_concertation.accounts.export import ExportSection, iso, wgs84_geojson

from .models import Project, ProjectSupporter


def _section(name: str, rows: QuerySet, properties_of, *, geometry: str) -> ExportSection:
    """Every row as a record; those with a place also as a GeoJSON feature (a project
    imported from a .pb file may have none)."""
    records, features = [], []
    for row in rows.annotate(geometry=wgs84_geojson(geometry)).order_by("created_at", "pk"):
        properties = properties_of(row)
        records.append(properties)
        if row.geometry:
            features.append(
                {"type": "Feature", "geometry": json.loads(row.geometry), "properties": properties}
            )
    return ExportSection(name=name, records=records, features=features)


def _project(project: Project) -> dict:
    return {
        "edition": project.edition.slug,
        "number": project.number,
        "title": project.title,
        "description": project.description,
        "estimated_cost": project.estimated_cost,
        "revised_cost": project.revised_cost,
        "association": project.association,
        "district": project.district.name if project.district_id else None,
        "status": project.status,
        "analysis_reason": project.analysis_reason,
        "photos": [photo.image.name for photo in project.photos.all()],
        "created_at": iso(project.created_at),
    }


def projects_section(user) -> ExportSection:
    rows = (
        Project.objects.filter(submitter=user)
        .select_related("edition", "district")
        .prefetch_related("photos")
    )
    return _section("budget_projects", rows, _project, geometry="geom")


def supports_section(user) -> ExportSection:
    rows = ProjectSupporter.objects.filter(user=user).select_related("project__edition")
    return _section(
        "budget_supports",
        rows,
        lambda support: {
            "edition": support.project.edition.slug,
            "project": support.project.number,
            "title": support.project.title,
            "since": iso(support.created_at),
        },
        geometry="project__geom",
    )
