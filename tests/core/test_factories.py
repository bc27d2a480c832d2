# SPDX-License-Identifier: AGPL-3.0-or-later
"""Every model of the project has a factory (tests/factories/) that builds a valid saved
row: a module that adds a model without its factory fails here, and its tests need not
stand on the demo."""

import importlib
import pkgutil

import factory
import pytest
from django.apps import apps
from django.contrib.gis.geos import Point

import tests.factories
from carto_concertation.contributions.models import Contribution
from plui_documents.selectors import zone_at_point
from tests.factories import (
    ConcertationFactory,
    ContributionFactory,
    TerritoryFactory,
    WorkshopCaptureFactory,
    lonlat,
    zoned_plui,
)

# The packages whose models are the project's (tiles has none today; a model it adds counts).
PROJECT_PACKAGES = ("layers", "plui_documents", "tiles")


def project_models() -> list[type]:
    return sorted(
        (
            model
            for config in apps.get_app_configs()
            if config.name.startswith("carto_concertation.") or config.name in PROJECT_PACKAGES
            for model in config.get_models()
        ),
        key=lambda model: model._meta.label,
    )


def factories_by_model() -> dict[type, type]:
    """The model factories of every module of tests/factories, by their model."""
    found = {}
    for info in pkgutil.iter_modules(tests.factories.__path__):
        module = importlib.import_module(f"tests.factories.{info.name}")
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, factory.django.DjangoModelFactory)
                and value._meta.model is not None
            ):
                found.setdefault(value._meta.model, value)
    return found


FACTORIES = factories_by_model()
# Fields full_clean refuses in a row the code writes: a job has no report until it ends,
# and JSONField(default=dict) without blank=True calls the empty dict blank.
NOT_CLEANABLE = {"core.Job": ["report"]}


def test_every_model_of_the_project_has_a_factory():
    models = project_models()
    assert len(models) >= 27  # the walk found the apps (27 models when this was written)
    missing = [model._meta.label for model in models if model not in FACTORIES]
    assert missing == [], f"models without a factory in tests/factories/: {missing}"


@pytest.mark.django_db
@pytest.mark.parametrize("model", project_models(), ids=lambda model: model._meta.label)
def test_each_factory_saves_a_valid_row(model):
    if model not in FACTORIES:
        pytest.fail(f"{model._meta.label} has no factory")
    made = FACTORIES[model]()
    assert isinstance(made, model)
    row = model.objects.get(pk=made.pk)
    row.full_clean(exclude=NOT_CLEANABLE.get(model._meta.label))


@pytest.mark.django_db
def test_the_factories_place_things_where_the_grid_says():
    """A concertation's ideas land in the first commune of its territory, in the UA
    quadrant of a zoned PLUi; a workshop's capture in the workshop's commune."""
    territory = TerritoryFactory(communes=3)
    first, second, third = territory.communes.order_by("insee")
    assert not first.geom.overlaps(second.geom) and first.geom.touches(second.geom)
    assert territory.geom.covers(third.geom)
    document = zoned_plui(territory)
    assert document.current_version.zones.count() == 12
    concertation = ConcertationFactory(territory=territory, plui_document=document)
    for shape in ("point", "line", "area"):
        idea = ContributionFactory(concertation=concertation, shape=shape)
        assert idea.commune == first
        assert [(z.zone.libelle, z.share) for z in idea.zone_links.select_related("zone")] == [
            ("UA", pytest.approx(1.0))
        ]
    lon, lat = lonlat(ContributionFactory(concertation=concertation, within=third.geom).geom)
    assert zone_at_point(point=Point(lon, lat, srid=4326)).insee == third.insee
    capture = WorkshopCaptureFactory(workshop__concertation=concertation)
    assert capture.contribution.commune == first
    assert capture.contribution.channel == Contribution.Channel.WORKSHOP
    assert capture.contribution.author is None
