# SPDX-License-Identifier: AGPL-3.0-or-later
"""Checks, repairs and copy of staged CNIG tables, as SQL on PostGIS.

Each check names the features it concerns by their id in the source (the shapefile
FID, as QGIS shows it) and their LIBELLE, so that a planner can find them.
"""

from dataclasses import dataclass, field

from django.db import connection
from django.utils.translation import gettext as _
from psycopg import sql

from layers.staging import StagedTable

from . import cnig
from .models import CnigVersion, FeatureKind, Information, Prescription, Zone

MAX_LISTED = 50  # features named per problem in a report; the count is always exact
OVERLAP_MIN_AREA = 1.0  # m²: below, a shared edge digitised twice, not an overlap
GAP_MIN_AREA = 1.0

POLYGONAL = ("POLYGON", "MULTIPOLYGON")
GEOMETRY_TYPES = {
    FeatureKind.SURFACE: (POLYGONAL, 3),
    FeatureKind.LINE: (("LINESTRING", "MULTILINESTRING"), 2),
    FeatureKind.POINT: (("POINT", "MULTIPOINT"), 1),
}
MODELS = {"zone": Zone, "prescription": Prescription, "information": Information}


@dataclass
class Findings:
    errors: list[str] = field(default_factory=list)
    repairs: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    invalid_fids: list[int] = field(default_factory=list)  # to repair before the copy

    def extend(self, other: "Findings") -> None:
        self.errors += other.errors
        self.repairs += other.repairs
        self.warnings += other.warnings


def _rows(query: sql.Composable, params: list | None = None) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(query, params or [])
        return cursor.fetchall()


def _label_expr(staged: StagedTable) -> sql.Composable:
    if "libelle" in staged.columns:
        return sql.SQL("coalesce(libelle::text, '')")
    return sql.SQL("''")


def _listed(rows: list[tuple], describe) -> list[str]:
    lines = [describe(row) for row in rows[:MAX_LISTED]]
    if len(rows) > MAX_LISTED:
        lines.append(_("… and %(count)s more.") % {"count": len(rows) - MAX_LISTED})
    return lines


def check_staged(table: cnig.Table, staged: StagedTable, version: CnigVersion) -> Findings:
    """Every problem of one staged table: errors stop the import, repairs and warnings don't."""
    findings = Findings()
    name, label = table.name, _label_expr(staged)
    types, _dimension = GEOMETRY_TYPES[table.kind]
    source = staged.identifier

    empty = _rows(
        sql.SQL(
            "SELECT ogc_fid, {l} FROM {t} WHERE geom IS NULL OR ST_IsEmpty(geom) ORDER BY 1"
        ).format(l=label, t=source)
    )
    findings.errors += _listed(
        empty, lambda r: _("%(table)s FID %(fid)s (%(label)s): no geometry.") % _ids(name, r)
    )
    wrong = _rows(
        sql.SQL(
            "SELECT ogc_fid, {l}, GeometryType(geom) FROM {t} "
            "WHERE geom IS NOT NULL AND NOT ST_IsEmpty(geom) AND GeometryType(geom) <> ALL(%s) ORDER BY 1"
        ).format(l=label, t=source),
        [list(types)],
    )
    findings.errors += _listed(
        wrong,
        lambda r: (
            _("%(table)s FID %(fid)s (%(label)s): a %(type)s where the standard has a %(kind)s.")
            % {**_ids(name, r), "type": r[2], "kind": table.kind}
        ),
    )
    invalid = _rows(
        sql.SQL(
            "SELECT ogc_fid, {l}, ST_IsValidReason(geom), "
            "ST_IsEmpty(ST_CollectionExtract(ST_MakeValid(geom), %s)) "
            "FROM {t} WHERE geom IS NOT NULL AND NOT ST_IsValid(geom) ORDER BY 1"
        ).format(l=label, t=source),
        [_dimension],
    )
    findings.invalid_fids = [row[0] for row in invalid if not row[3]]
    for row in invalid:
        if row[3]:
            findings.errors.append(
                _(
                    "%(table)s FID %(fid)s (%(label)s): invalid geometry (%(reason)s) that nothing is left of once repaired."
                )
                % {**_ids(name, row), "reason": row[2]}
            )
    findings.repairs += _listed(
        [r for r in invalid if not r[3]],
        lambda r: (
            _(
                "%(table)s FID %(fid)s (%(label)s): invalid geometry (%(reason)s), repaired with ST_MakeValid."
            )
            % {**_ids(name, r), "reason": r[2]}
        ),
    )
    if "libelle" in staged.columns:
        blank = _rows(
            sql.SQL(
                "SELECT ogc_fid, '' FROM {t} WHERE coalesce(trim(libelle::text), '') = '' ORDER BY 1"
            ).format(t=source)
        )
        findings.errors += _listed(
            blank, lambda r: _("%(table)s FID %(fid)s: LIBELLE is empty.") % _ids(name, r)
        )
    if table.family == "zone":
        findings.extend(_check_typezone(staged, version))
    else:
        code_field = "typepsc" if table.family == "prescription" else "typeinf"
        known = (
            cnig.prescription_labels()
            if table.family == "prescription"
            else cnig.information_labels()
        )
        findings.extend(_check_codes(table, staged, code_field, known))
    findings.warnings += _check_dates(table, staged)
    return findings


def _ids(table_name: str, row: tuple) -> dict:
    return {"table": table_name, "fid": row[0], "label": row[1] if len(row) > 1 else ""}


def _typezone_canonical() -> sql.Composable:
    all_codes = dict.fromkeys(
        cnig.typezone_domain(CnigVersion.V2014) + cnig.typezone_domain(CnigVersion.V2024)
    )
    cases = sql.SQL(" ").join(
        sql.SQL("WHEN {} THEN {}").format(sql.Literal(code.lower()), sql.Literal(code))
        for code in all_codes
    )
    return sql.SQL("CASE lower(trim(typezone::text)) {} ELSE trim(typezone::text) END").format(
        cases
    )


def _check_typezone(staged: StagedTable, version: CnigVersion) -> Findings:
    findings = Findings()
    domain = cnig.typezone_domain(version)
    outside = _rows(
        sql.SQL(
            "SELECT ogc_fid, coalesce(libelle::text, ''), coalesce(typezone::text, '') FROM {t} "
            "WHERE coalesce({canonical}, '') <> ALL(%s) ORDER BY 1"
        ).format(t=staged.identifier, canonical=_typezone_canonical()),
        [list(domain)],
    )
    findings.errors += _listed(
        outside,
        lambda r: (
            _(
                "ZONE_URBA FID %(fid)s (%(label)s): TYPEZONE %(value)r is not in the domain of "
                "the CNIG %(version)s standard (%(domain)s)."
            )
            % {
                "fid": r[0],
                "label": r[1],
                "value": r[2],
                "version": version,
                "domain": ", ".join(domain),
            }
        ),
    )
    findings.warnings += _listed(
        _rows(
            sql.SQL(
                "SELECT ogc_fid, libelle::text, {canonical} FROM {t} WHERE "
                "(libelle ~ '^[0-9]*AU' AND {canonical} NOT IN ('AUc', 'AUs')) OR "
                "(libelle ~ '^[0-9]*U' AND {canonical} <> 'U') OR "
                "(libelle ~ '^[0-9]*A([^U]|$)' AND {canonical} NOT IN ('A', 'Ah')) OR "
                "(libelle ~ '^[0-9]*N' AND {canonical} NOT IN ('N', 'Nh', 'Nd')) ORDER BY 1"
            ).format(t=staged.identifier, canonical=_typezone_canonical())
        ),
        lambda r: (
            _("ZONE_URBA FID %(fid)s: LIBELLE %(label)s suggests another TYPEZONE than %(value)s.")
            % {"fid": r[0], "label": r[1], "value": r[2]}
        ),
    )
    return findings


def _check_codes(
    table: cnig.Table, staged: StagedTable, column: str, known: dict[str, str]
) -> Findings:
    findings = Findings()
    if column not in staged.columns:
        return findings
    rows = _rows(
        sql.SQL(
            "SELECT ogc_fid, coalesce(libelle::text, ''), coalesce(trim({c}::text), '') FROM {t} ORDER BY 1"
        ).format(c=sql.Identifier(column), t=staged.identifier)
    )
    malformed = [r for r in rows if not (r[2].isdigit() and len(r[2]) <= 2)]
    unknown = [r for r in rows if r not in malformed and r[2].zfill(2) not in known]
    findings.errors += _listed(
        malformed,
        lambda r: (
            _("%(table)s FID %(fid)s (%(label)s): %(field)s %(value)r is not a two-digit code.")
            % {**_ids(table.name, r), "field": column.upper(), "value": r[2]}
        ),
    )
    findings.warnings += _listed(
        unknown,
        lambda r: (
            _(
                "%(table)s FID %(fid)s (%(label)s): %(field)s %(value)s is not in the CNIG code list."
            )
            % {**_ids(table.name, r), "field": column.upper(), "value": r[2]}
        ),
    )
    return findings


def _check_dates(table: cnig.Table, staged: StagedTable) -> list[str]:
    warnings = []
    for column in sorted(cnig.DATE_FIELDS & set(staged.columns)):
        bad = _rows(
            sql.SQL(
                "SELECT ogc_fid, {l}, {c}::text FROM {t} "
                "WHERE coalesce(trim({c}::text), '') <> '' AND carto_parse_date({c}::text) IS NULL ORDER BY 1"
            ).format(l=_label_expr(staged), c=sql.Identifier(column), t=staged.identifier)
        )
        warnings += _listed(
            bad,
            lambda r, column=column: (
                _(
                    "%(table)s FID %(fid)s (%(label)s): %(field)s %(value)r is not a date; left empty."
                )
                % {**_ids(table.name, r), "field": column.upper(), "value": r[2]}
            ),
        )
    return warnings


def _value_expr(model, column: str, staged: StagedTable) -> sql.Composable:
    if column not in staged.columns:
        return sql.SQL("NULL") if column in cnig.DATE_FIELDS else sql.Literal("")
    ident = sql.Identifier(column)
    if column in cnig.DATE_FIELDS:
        return sql.SQL("carto_parse_date({}::text)").format(ident)
    if column == "typezone":
        return _typezone_canonical()
    text = sql.SQL("coalesce(trim({}::text), '')").format(ident)
    if column in cnig.CODE_FIELDS:
        text = sql.SQL("CASE WHEN {t} ~ '^[0-9]$' THEN '0' || {t} ELSE {t} END").format(t=text)
    max_length = model._meta.get_field(column).max_length
    return sql.SQL("left({}, {})").format(text, sql.Literal(max_length))


def repair_staged(table: cnig.Table, staged: StagedTable, fids: list[int]) -> None:
    """Repair, in the staged table, the geometries the checks found invalid (and only them)."""
    if not fids:
        return
    _types, dimension = GEOMETRY_TYPES[table.kind]
    with connection.cursor() as cursor:
        cursor.execute(
            sql.SQL(
                "UPDATE {} SET geom = ST_CollectionExtract(ST_MakeValid(geom), %s) WHERE ogc_fid = ANY(%s)"
            ).format(staged.identifier),
            [dimension, fids],
        )


def copy_staged(table: cnig.Table, staged: StagedTable, version_id: int) -> int:
    """Insert a checked staged table into its model's table; returns the row count."""
    model = MODELS[table.family]
    columns = cnig.MODEL_FIELDS[table.family]
    extra_columns, extra_values = [], []
    if table.family != "zone":
        extra_columns.append(sql.Identifier("kind"))
        extra_values.append(sql.Literal(table.kind.value))
    query = sql.SQL(
        "INSERT INTO {target} (version_id, source_fid, {columns}, geom) "
        "SELECT %s, ogc_fid, {values}, ST_Multi(geom) FROM {source}"
    ).format(
        target=sql.Identifier(model._meta.db_table),
        columns=sql.SQL(", ").join([*map(sql.Identifier, columns), *extra_columns]),
        values=sql.SQL(", ").join(
            [*(_value_expr(model, c, staged) for c in columns), *extra_values]
        ),
        source=staged.identifier,
    )
    with connection.cursor() as cursor:
        cursor.execute(query, [version_id])
        return cursor.rowcount


def zoning_analysis(version_id: int) -> list[str]:
    """Store the version's perimeter (union of its zones); list overlaps and gaps.

    Overlaps are searched pair by pair only when the zones' areas add up to more than
    their union's: on a clean zoning (the usual case) that costs one sum.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE plui_documents_documentversion SET perimeter = "
            "(SELECT ST_Multi(ST_Union(geom)) FROM plui_documents_zone WHERE version_id = %s) "
            "WHERE id = %s RETURNING ST_Area(perimeter)",
            [version_id, version_id],
        )
        union_area = cursor.fetchone()[0] or 0
        cursor.execute(
            "SELECT sum(ST_Area(geom)) FROM plui_documents_zone WHERE version_id = %s", [version_id]
        )
        total_area = cursor.fetchone()[0] or 0
    warnings = _overlap_warnings(version_id) if total_area - union_area > OVERLAP_MIN_AREA else []
    gaps = _rows(
        sql.SQL(
            "SELECT ST_Area(ring.geom), ST_X(p), ST_Y(p), ST_SRID(ring.geom) FROM ("
            "  SELECT (ST_DumpRings((ST_Dump(perimeter)).geom)).* FROM plui_documents_documentversion"
            "  WHERE id = %s) AS ring, ST_PointOnSurface(ring.geom) AS p "
            "WHERE ring.path[1] > 0 AND ST_Area(ring.geom) > %s ORDER BY 1 DESC"
        ),
        [version_id, GAP_MIN_AREA],
    )
    warnings += _listed(
        gaps,
        lambda r: (
            _("Gap of %(area)s m² between zones, around %(x)s %(y)s (EPSG:%(srid)s).")
            % {"area": round(r[0], 1), "x": round(r[1]), "y": round(r[2]), "srid": r[3]}
        ),
    )
    return warnings


def _overlap_warnings(version_id: int) -> list[str]:
    overlaps = _rows(
        sql.SQL(
            "SELECT a.source_fid, a.libelle, b.source_fid, b.libelle, "
            "ST_Area(ST_Intersection(a.geom, b.geom)) AS area "
            "FROM plui_documents_zone a JOIN plui_documents_zone b "
            "ON b.version_id = a.version_id AND a.id < b.id AND ST_Intersects(a.geom, b.geom) "
            "WHERE a.version_id = %s AND ST_Relate(a.geom, b.geom, '2********') "
            "AND ST_Area(ST_Intersection(a.geom, b.geom)) > %s ORDER BY area DESC"
        ),
        [version_id, OVERLAP_MIN_AREA],
    )
    return _listed(
        overlaps,
        lambda r: (
            _("ZONE_URBA FID %(a)s (%(la)s) and FID %(b)s (%(lb)s) overlap over %(area)s m².")
            % {"a": r[0], "la": r[1], "b": r[2], "lb": r[3], "area": round(r[4], 1)}
        ),
    )


def distinct_values(staged: StagedTable, column: str) -> list[str]:
    """A column's non-blank values, most frequent first ([] when the column is absent)."""
    if column not in staged.columns:
        return []
    rows = _rows(
        sql.SQL(
            "SELECT trim({c}::text), count(*) FROM {t} WHERE coalesce(trim({c}::text), '') <> '' "
            "GROUP BY 1 ORDER BY 2 DESC, 1"
        ).format(c=sql.Identifier(column), t=staged.identifier)
    )
    return [row[0] for row in rows]


def most_common_value(staged: StagedTable, column: str) -> str:
    """The value most zones carry, e.g. IDURBA (2017 and 2024 put it on every feature)."""
    values = distinct_values(staged, column)
    return values[0] if values else ""
