# SPDX-License-Identifier: AGPL-3.0-or-later
"""The open collections: the backbone's datasets (communes, the current PLU/PLUi zoning)
then every installed module's, each with its features (FeatureSource). A collection's id
is its dataset's name, stable: OGC API paths, files and DCAT identifiers are made of it."""

from dataclasses import dataclass

from django.utils.functional import Promise

from carto_concertation.core.modules import DatasetDeclaration, FeatureSource, datasets
from carto_concertation.territories.datasets import BACKBONE_DATASETS as TERRITORY_DATASETS
from plui_documents.datasets import BACKBONE_DATASETS as ZONING_DATASETS


@dataclass(frozen=True)
class Collection:
    dataset: DatasetDeclaration
    module: str  # the declaring module's name, "" for the backbone

    @property
    def id(self) -> str:
        return self.dataset.name

    @property
    def title(self) -> str | Promise:
        return self.dataset.title

    @property
    def source(self) -> FeatureSource:
        # collections() lists only the datasets that have features.
        return self.dataset.features  # type: ignore[return-value]


def backbone_datasets() -> list[DatasetDeclaration]:
    """The backbone's open datasets, in the order the catalogue lists them."""
    return [*TERRITORY_DATASETS, *ZONING_DATASETS]


def collections() -> list[Collection]:
    """Every open dataset with features: the backbone's, then the modules' in their
    registration order."""
    found = [Collection(dataset, "") for dataset in backbone_datasets()]
    found += [Collection(dataset, manifest.name) for manifest, dataset in datasets()]
    return [collection for collection in found if collection.dataset.features is not None]


def collection_get(collection_id: str) -> Collection | None:
    return next((c for c in collections() if c.id == collection_id), None)
