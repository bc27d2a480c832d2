# SPDX-License-Identifier: AGPL-3.0-or-later
"""Open data's record of a written file, through the model (the files themselves are
written by opendata.catalogue.files.open_files_refresh)."""

import factory
from django.utils import timezone

from carto_concertation.opendata.models import OpenFile

from .territories import TerritoryFactory


class OpenFileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OpenFile

    territory = factory.SubFactory(TerritoryFactory)
    collection = "communes"
    format = OpenFile.Format.GEOJSON
    size = 1024
    sha256 = "0" * 64
    features = 1
    modified = factory.LazyFunction(timezone.now)
