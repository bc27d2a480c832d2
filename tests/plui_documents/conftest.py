# SPDX-License-Identifier: AGPL-3.0-or-later
import shutil
from pathlib import Path

import pytest
from django.contrib.gis.gdal import DataSource

ROOT = Path(__file__).resolve().parent.parent.parent
TROIS_PROVINCES = ROOT / "demo" / "plui" / "241800432_PLUi_20200128"
CHER_2014 = ROOT / "demo" / "plui" / "200011781_PLUi_20180101"
PLUI_DATA = ROOT / "tests" / "data" / "plui"
SOURCE_ZONES = TROIS_PROVINCES / "Donnees_geographiques" / "241800432_ZONE_URBA_20200128.shp"


def source_features(path: Path) -> list:
    """The features of a source file as GDAL reads it, independently of the importer."""
    return list(DataSource(str(path))[0])


@pytest.fixture
def delivery_copy(tmp_path) -> Path:
    """A writable copy of the real delivery, to add or remove files in."""
    target = tmp_path / TROIS_PROVINCES.name
    shutil.copytree(TROIS_PROVINCES, target)
    return target


@pytest.fixture
def delivery_with_reglement(delivery_copy) -> Path:
    pieces = delivery_copy / "Pieces_ecrites"
    pieces.mkdir(exist_ok=True)
    shutil.copy(PLUI_DATA / "reglement" / "241800432_reglement_20200128.pdf", pieces)
    return delivery_copy
