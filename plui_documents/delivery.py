# SPDX-License-Identifier: AGPL-3.0-or-later
"""Find the CNIG tables of a delivery: zip, folder (GPU layout or flat), GeoPackage, GeoJSON.

Nothing here reads a feature: it lists the tables, their fields, CRS and encoding,
so that every check on the structure runs before the first row is loaded.
"""

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.gis.gdal import DataSource
from django.utils.translation import gettext as _

from layers.archives import safe_extract
from layers.sources import SourceError, open_datasource

from .cnig import Table, table_for_name

VECTOR_SUFFIXES = {".shp", ".geojson", ".json", ".gpkg"}

# .cpg contents seen in deliveries, as the encoding names GDAL's recoder takes.
CPG_ENCODINGS = {
    "UTF-8": "UTF-8",
    "UTF8": "UTF-8",
    "65001": "UTF-8",
    "1252": "CP1252",
    "ANSI 1252": "CP1252",
    "CP1252": "CP1252",
    "WINDOWS-1252": "CP1252",
    "ISO-8859-1": "ISO-8859-1",
    "ISO88591": "ISO-8859-1",
    "88591": "ISO-8859-1",
    "8859-1": "ISO-8859-1",
    "LATIN1": "ISO-8859-1",
    "ISO-8859-15": "ISO-8859-15",
}


@dataclass(frozen=True)
class DeliveryTable:
    table: Table
    source: str  # what GDAL opens
    layer: str | None  # the layer inside a multi-layer source (GeoPackage)
    fields: tuple[str, ...]  # lower case
    srs_wkt: str | None
    encoding: str | None  # for shapefiles and DBF: what ogr2ogr is told
    label: str  # the file (and layer) name shown in reports


@dataclass
class Delivery:
    name: str
    tables: dict[str, DeliveryTable] = field(default_factory=dict)
    pdfs: list[Path] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)


@contextmanager
def open_delivery(path: Path) -> Iterator[Delivery]:
    path = Path(path)
    if not path.exists():
        raise SourceError(_("File not found: %(path)s.") % {"path": path})
    if path.is_file() and path.stat().st_size == 0:
        raise SourceError(_("%(name)s is empty.") % {"name": path.name})
    suffix = path.suffix.lower()
    if path.is_dir():
        yield _scan_folder(path, path.name)
    elif suffix == ".zip":
        with tempfile.TemporaryDirectory(prefix="plui-") as folder:
            safe_extract(path, Path(folder))
            yield _scan_folder(Path(folder), path.stem)
    elif suffix == ".gpkg":
        delivery = Delivery(name=path.stem)
        _add_multilayer(delivery, path)
        yield delivery
    elif suffix in VECTOR_SUFFIXES:
        delivery = Delivery(name=path.stem)
        _add_file(delivery, path, single=True)
        yield delivery
    else:
        raise SourceError(
            _(
                "Unsupported file type %(suffix)s: expected a zip, a folder, a GeoPackage, a shapefile or GeoJSON."
            )
            % {"suffix": suffix or "(none)"}
        )


def _scan_folder(root: Path, name: str) -> Delivery:
    delivery = Delivery(name=_delivery_name(root, name))
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        suffix = path.suffix.lower()
        if suffix == ".pdf":
            delivery.pdfs.append(path)
        elif suffix == ".gpkg":
            _add_multilayer(delivery, path)
        elif suffix in VECTOR_SUFFIXES:
            _add_file(delivery, path, single=False)
        elif suffix == ".dbf" and not path.with_suffix(".shp").exists():
            _add_file(delivery, path, single=False)  # DOC_URBA, DOC_URBA_COM
    return delivery


def _delivery_name(root: Path, fallback: str) -> str:
    """A GPU zip holds one folder named <id>_<TYPE>_<date>: that is the delivery's name."""
    children = [p for p in root.iterdir() if not p.name.startswith((".", "__MACOSX"))]
    if len(children) == 1 and children[0].is_dir():
        return children[0].name
    return fallback


def _add_file(delivery: Delivery, path: Path, *, single: bool) -> None:
    table = table_for_name(path.stem)
    source = _open(path)
    layer = source[0]
    fields = tuple(f.lower() for f in layer.fields)
    if table is None and single and "typezone" in fields:
        table = table_for_name("ZONE_URBA")
    if table is None:
        delivery.ignored.append(path.name)
        return
    _register(
        delivery,
        DeliveryTable(
            table=table,
            source=str(path),
            layer=None,
            fields=fields,
            srs_wkt=_srs_wkt(layer, path),
            encoding=_dbf_encoding(path) if path.suffix.lower() in (".shp", ".dbf") else None,
            label=path.name,
        ),
    )


def _add_multilayer(delivery: Delivery, path: Path) -> None:
    source = _open(path)
    for layer in source:
        table = table_for_name(layer.name)
        if table is None:
            delivery.ignored.append(f"{path.name}:{layer.name}")
            continue
        _register(
            delivery,
            DeliveryTable(
                table=table,
                source=str(path),
                layer=layer.name,
                fields=tuple(f.lower() for f in layer.fields),
                srs_wkt=layer.srs.wkt if layer.srs else None,
                encoding=None,
                label=f"{path.name}:{layer.name}",
            ),
        )


def _register(delivery: Delivery, entry: DeliveryTable) -> None:
    existing = delivery.tables.get(entry.table.name)
    if existing:
        raise SourceError(
            _("Two files hold the table %(table)s: %(first)s and %(second)s.")
            % {"table": entry.table.name, "first": existing.label, "second": entry.label}
        )
    delivery.tables[entry.table.name] = entry


def _open(path: Path) -> DataSource:
    source = open_datasource(path)
    if not len(source):
        raise SourceError(_("%(name)s contains no layer.") % {"name": path.name})
    return source


def _srs_wkt(layer, path: Path) -> str | None:
    if layer.srs is not None:
        return layer.srs.wkt
    if path.suffix.lower() == ".shp" and path.with_suffix(".prj").exists():
        raise SourceError(
            _("The .prj of %(name)s describes no coordinate reference system that GDAL knows.")
            % {"name": path.name},
            field="source_srid",
        )
    return None


def _dbf_encoding(path: Path) -> str:
    """The encoding of a DBF: its .cpg if any, else UTF-8 if it decodes, else Windows-1252."""
    for cpg in (path.with_suffix(".cpg"), path.with_suffix(".CPG")):
        if cpg.exists():
            declared = cpg.read_text(encoding="ascii", errors="ignore").strip().upper()
            return CPG_ENCODINGS.get(declared, declared or "UTF-8")
    dbf = path.with_suffix(".dbf")
    if not dbf.exists():
        dbf = path.with_suffix(".DBF")
    data = dbf.read_bytes()
    header_length = int.from_bytes(data[8:10], "little") if len(data) > 10 else 0
    try:
        data[header_length:].decode("utf-8")
    except UnicodeDecodeError:
        return "CP1252"  # a superset of Latin-1 for every printable character
    return "UTF-8"
