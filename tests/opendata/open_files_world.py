# SPDX-License-Identifier: AGPL-3.0-or-later
"""What the open files' and the catalogue's tests stand on: a collection of every field
type with a moment (ideas, declared here apart from the ideas module's own), added to
the communes, and helpers to read the files with GDAL."""

import json
import subprocess
from collections.abc import Sequence

from django.utils.translation import gettext_lazy as _

from carto_concertation.contributions.models import Contribution
from carto_concertation.core.modules import DatasetDeclaration, FeatureSource, PublicField
from carto_concertation.opendata import collections as opendata_collections
from carto_concertation.territories.datasets import BACKBONE_DATASETS

PUBLIC = ("published", "under_study", "retained", "partly_retained", "not_retained")


def _idea_rows():
    return Contribution.objects.filter(status__in=PUBLIC).prefetch_related("themes")


def _idea_properties(rows: Sequence[Contribution], base_url: str) -> list[dict]:
    return [
        {
            "id": idea.pk,
            "title": idea.title,
            "votes_for": idea.votes_for,
            "zone_share": 0.5,
            "retained": idea.status == "retained",
            "themes": sorted(theme.name for theme in idea.themes.all()),
            "created_at": idea.created_at.isoformat(),
            "created": idea.created_at.date().isoformat(),
            "link": f"{base_url}/idees/{idea.pk}/",
        }
        for idea in rows
    ]


TEST_IDEAS = DatasetDeclaration(
    name="idees-test",
    title=_("Contributions"),
    description="Des idées, pour les tests des fichiers ouverts.",
    geometry_type="Geometry",
    fields=(
        PublicField("id", "numéro", "integer"),
        PublicField("title", "titre"),
        PublicField("votes_for", "votes pour", "integer"),
        PublicField("zone_share", "part de la zone", "number"),
        PublicField("retained", "retenue", "boolean"),
        PublicField("themes", "thèmes", "array"),
        PublicField("created_at", "créée le", "string", "date-time"),
        PublicField("created", "jour", "string", "date"),
        PublicField("link", "lien"),
    ),
    features=FeatureSource(
        rows=_idea_rows,
        properties=_idea_properties,
        moment="created_at",
        territory="concertation__territory",
    ),
    keywords=("idées", "concertation"),
)


def with_test_ideas(monkeypatch) -> None:
    """The ideas above become a collection of the backbone's, after the communes."""
    monkeypatch.setattr(
        opendata_collections, "backbone_datasets", lambda: [*BACKBONE_DATASETS, TEST_IDEAS]
    )


def ogrinfo(path, *options: str) -> str:
    done = subprocess.run(
        ["ogrinfo", "-ro", "-al", *options, str(path)], capture_output=True, text=True, check=True
    )
    return done.stdout


def ogr_features(path) -> list[dict]:
    """The features as GDAL reads them, as GeoJSON (CRS84) through ogr2ogr; a CSV's
    geometry is its WKT column, in CRS84 (a CSV names no CRS)."""
    csv = (
        ["-s_srs", "EPSG:4326", "-oo", "KEEP_GEOM_COLUMNS=NO"] if str(path).endswith(".csv") else []
    )
    done = subprocess.run(
        ["ogr2ogr", "-f", "GeoJSON", "-t_srs", "EPSG:4326", *csv, "/vsistdout/", str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout)["features"]
