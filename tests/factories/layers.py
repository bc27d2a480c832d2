# SPDX-License-Identifier: AGPL-3.0-or-later
"""Context and raster layers, through the models (the services read uploaded files
with GDAL: the factories write the rows an import would leave)."""

import factory

from layers.models import ContextFeature, ContextLayer, LayerStatus, RasterLayer

from .geometry import square


class ContextLayerFactory(factory.django.DjangoModelFactory):
    """A ready layer of polygons with one public field, ``nom``."""

    class Meta:
        model = ContextLayer

    name = factory.Sequence(lambda n: f"couche-{n}")
    title = factory.Sequence(lambda n: f"Couche de contexte n° {n}")
    geometry_type = "MultiPolygon"
    fields = factory.LazyFunction(lambda: ["nom"])
    attribution = "© Communauté de communes"
    status = LayerStatus.READY


class ContextFeatureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContextFeature

    layer = factory.SubFactory(ContextLayerFactory)
    source_fid = factory.Sequence(lambda n: n + 1)
    properties = factory.Sequence(lambda n: {"nom": f"Secteur {n}", "prive": "non publié"})
    geom = factory.Sequence(lambda n: square(n % 20, row=n // 20 % 20, size=1000))


class RasterLayerFactory(factory.django.DjangoModelFactory):
    """An uploaded raster still being processed: no COG (raster_layer_process makes it
    with GDAL; tests that serve raster tiles import a real file from tests/data)."""

    class Meta:
        model = RasterLayer

    name = factory.Sequence(lambda n: f"plan-{n}")
    title = factory.Sequence(lambda n: f"Plan de zonage n° {n}")
    attribution = "© Communauté de communes"
    original = factory.django.FileField(filename="plan.tif", data=b"II*\x00")
    status = LayerStatus.PROCESSING
