# SPDX-License-Identifier: AGPL-3.0-or-later
"""Find the CNIG tables of a delivery: zip, folder (GPU layout or flat), GeoPackage, GeoJSON.

Nothing here reads a feature: it lists the tables, their fields, CRS and encoding,
so that every check on the structure runs before the first row is loaded.
"""

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from django.contrib.gis.gdal import DataSource, SpatialReference
from django.contrib.gis.gdal.error import SRSException
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
    srs_wkt: str | None  # None for the attribute tables (DOC_URBA, DOC_URBA_COM)
    srid: int | None  # the EPSG code the CRS was recognised as, if any
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
    # A table without geometry needs no CRS: its .prj, often empty, is not read.
    srs_wkt = _srs_wkt(layer, path) if table.kind is not None else None
    _register(
        delivery,
        DeliveryTable(
            table=table,
            source=str(path),
            layer=None,
            fields=fields,
            srs_wkt=srs_wkt,
            srid=srs_epsg(srs_wkt),
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
        srs_wkt = layer.srs.wkt if layer.srs and table.kind is not None else None
        _register(
            delivery,
            DeliveryTable(
                table=table,
                source=str(path),
                layer=layer.name,
                fields=tuple(f.lower() for f in layer.fields),
                srs_wkt=srs_wkt,
                srid=srs_epsg(srs_wkt),
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


def srs_epsg(wkt: str | None) -> int | None:
    """The EPSG code of a CRS: GDAL's own identification, else the projection of
    ``RECOGNISED_SRIDS`` whose parameters and ellipsoid it has.

    ESRI-style .prj files often name nothing (``GCS_Unknown``, ``D_GRS_80``,
    ``Lambert_Conformal_Conic``): GDAL then identifies no code although the numbers
    are Lambert-93's.
    """
    if not wkt:
        return None
    srs = SpatialReference(wkt)
    with suppress(SRSException):  # nothing identified: the parameters may still match
        srs.identify_epsg()
    if srs.srid:
        return srs.srid
    if not srs.projected:
        return None
    parameters = _proj_parameters(srs)
    return next(
        (
            srid
            for srid, known in _recognised_parameters().items()
            if _same_parameters(parameters, known[0]) and _same_ellipsoid(srs, known[1])
        ),
        None,
    )


# The projections a French delivery may be in, recognised by their parameters when
# the .prj names none: Lambert-93 and the nine conic conformal zones CC42 to CC50.
RECOGNISED_SRIDS = (2154, *range(3942, 3951))


@cache
def _recognised_parameters() -> dict[int, tuple[dict[str, str], SpatialReference]]:
    references = {srid: SpatialReference(srid) for srid in RECOGNISED_SRIDS}
    return {srid: (_proj_parameters(srs), srs) for srid, srs in references.items()}


def _proj_parameters(srs: SpatialReference) -> dict[str, str]:
    """The projection parameters of a PROJ string, without the datum shift and the
    ellipsoid (compared apart), the two standard parallels in either order."""
    parameters = dict(
        item.lstrip("+").partition("=")[::2] for item in srs.proj.split() if item.startswith("+")
    )
    for key in ("towgs84", "no_defs", "type", "ellps", "a", "b", "rf", "datum", "nadgrids"):
        parameters.pop(key, None)
    parallels = sorted(parameters.pop(key, "") for key in ("lat_1", "lat_2"))
    parameters["parallels"] = " ".join(parallels)
    return parameters


def _same_parameters(a: dict[str, str], b: dict[str, str]) -> bool:
    if a.keys() != b.keys():
        return False
    return all(_same_value(a[key], b[key]) for key in a)


def _same_value(a: str, b: str) -> bool:
    try:
        return all(
            abs(float(x) - float(y)) < 1e-9 for x, y in zip(a.split(), b.split(), strict=True)
        )
    except ValueError:
        return a == b


def _same_ellipsoid(srs: SpatialReference, known: SpatialReference) -> bool:
    """Same semi-major axis and flattening: Lambert-93's numbers on Clarke 1880 are not
    Lambert-93."""
    (a, _b, inverse), (known_a, _known_b, known_inverse) = srs.ellipsoid, known.ellipsoid
    return abs(a - known_a) < 1e-3 and abs(inverse - known_inverse) < 1e-6


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
