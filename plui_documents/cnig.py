# SPDX-License-Identifier: AGPL-3.0-or-later
"""What the CNIG "standard PLU" says, version by version: tables, fields, domains.

The code lists are the CNIG's own CSV files (types énumérés v2024-01, Licence Ouverte),
shipped in plui_documents/cnig/.
"""

import csv
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.utils.translation import gettext_lazy

from .models import CnigVersion, FeatureKind

CODE_LISTS = Path(__file__).resolve().parent / "cnig"


@dataclass(frozen=True)
class Table:
    """A table of the standard: its name in deliveries and the geometry it carries."""

    name: str
    kind: str | None  # FeatureKind for geographic tables, None for attribute tables
    family: str  # "zone", "prescription", "information", "document", "document_communes"


TABLES = (
    Table("ZONE_URBA", FeatureKind.SURFACE, "zone"),
    Table("PRESCRIPTION_SURF", FeatureKind.SURFACE, "prescription"),
    Table("PRESCRIPTION_LIN", FeatureKind.LINE, "prescription"),
    Table("PRESCRIPTION_PCT", FeatureKind.POINT, "prescription"),
    Table("INFO_SURF", FeatureKind.SURFACE, "information"),
    Table("INFO_LIN", FeatureKind.LINE, "information"),
    Table("INFO_PCT", FeatureKind.POINT, "information"),
    Table("DOC_URBA_COM", None, "document_communes"),
    Table("DOC_URBA", None, "document"),
)
TABLES_BY_NAME = {table.name: table for table in TABLES}

# A file or layer name is a table when it ends with the table's name, optionally
# followed by the approval date: 241800432_ZONE_URBA_20200128, ZONE_URBA, zone_urba.
# DOC_URBA_COM is listed before DOC_URBA so that the longer name wins.
_TABLE_NAME_RE = re.compile(
    r"(?:^|_)(" + "|".join(t.name for t in TABLES) + r")(?:_\d{8})?$", re.IGNORECASE
)


def table_for_name(stem: str) -> Table | None:
    match = _TABLE_NAME_RE.search(stem)
    return TABLES_BY_NAME[match.group(1).upper()] if match else None


# Fields (lower case, as staged) that a table must have, and the ones it may have,
# per version. 2014 identifies a document by INSEE + DATAPPRO, 2017 and 2024 by
# IDURBA; 2024 replaced DESTDOMI by FORMDOMI and the three DEST* lists.
REQUIRED_FIELDS = {
    ("zone", CnigVersion.V2014): ("libelle", "typezone", "insee", "datappro"),
    ("zone", CnigVersion.V2017): ("libelle", "typezone", "idurba"),
    ("zone", CnigVersion.V2024): ("libelle", "typezone", "idurba"),
    ("prescription", CnigVersion.V2014): ("libelle", "typepsc"),
    ("prescription", CnigVersion.V2017): ("libelle", "typepsc"),
    ("prescription", CnigVersion.V2024): ("libelle", "typepsc"),
    ("information", CnigVersion.V2014): ("libelle", "typeinf"),
    ("information", CnigVersion.V2017): ("libelle", "typeinf"),
    ("information", CnigVersion.V2024): ("libelle", "typeinf"),
}
COMMON_FIELDS = (
    "libelle",
    "txt",
    "nomfic",
    "urlfic",
    "insee",
    "idurba",
    "datappro",
    "datvalid",
    "symbole",
)
MODEL_FIELDS = {
    "zone": (
        "libelle",
        "libelong",
        "typezone",
        "destdomi",
        "formdomi",
        "destoui",
        "destcdt",
        "destnon",
        "nomfic",
        "urlfic",
        "insee",
        "idurba",
        "datappro",
        "datvalid",
        "symbole",
    ),
    "prescription": (*COMMON_FIELDS, "typepsc", "stypepsc", "nature"),
    "information": (*COMMON_FIELDS, "typeinf", "stypeinf"),
}
DATE_FIELDS = {"datappro", "datvalid"}
CODE_FIELDS = {"typepsc", "stypepsc", "typeinf", "stypeinf", "destdomi"}  # two-digit codes

_TYPEZONE_2014 = ("U", "AUc", "AUs", "A", "N", "Ah", "Nh", "Nd")
_TYPEZONE_2017 = ("U", "AUc", "AUs", "A", "N")
# What each TYPEZONE of the standard means, for legends and panels.
TYPEZONE_LABELS = {
    "U": gettext_lazy("urban zone"),
    "AUc": gettext_lazy("zone to urbanise (open)"),
    "AUs": gettext_lazy("zone to urbanise (closed)"),
    "A": gettext_lazy("agricultural zone"),
    "N": gettext_lazy("natural and forest zone"),
}


class UnknownCnigVersion(ValueError):
    pass


def detect_version(zone_fields: set[str]) -> CnigVersion:
    """Which version of the standard a ZONE_URBA table follows, from its fields."""
    fields = {f.lower() for f in zone_fields}
    if fields & {"formdomi", "destoui", "destcdt", "destnon"}:
        return CnigVersion.V2024
    if "idurba" in fields:
        return CnigVersion.V2017
    if {"insee", "datappro"} <= fields:
        return CnigVersion.V2014
    raise UnknownCnigVersion(
        "ZONE_URBA has neither IDURBA (standard 2017/2024) nor INSEE and DATAPPRO (standard 2014)"
    )


def _csv_rows(name: str) -> list[dict[str, str]]:
    with (CODE_LISTS / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@cache
def typezone_domain(version: CnigVersion) -> tuple[str, ...]:
    if version == CnigVersion.V2014:
        return _TYPEZONE_2014
    if version == CnigVersion.V2017:
        return _TYPEZONE_2017
    return tuple(row["Code"] for row in _csv_rows("ZoneUrbaType.csv"))


def _two_digits(code: str) -> str:
    return code.strip().zfill(2) if code.strip().isdigit() else code.strip()


def _code_labels(code_list: str) -> dict[str, str]:
    """Two-digit code -> the label of its first sub-code (the general label)."""
    labels: dict[str, str] = {}
    for row in _csv_rows(code_list):
        code = _two_digits(row["Code"])
        if code.isdigit():
            labels.setdefault(code, row["Libellé"])
    return labels


@cache
def prescription_labels() -> dict[str, str]:
    return _code_labels("PrescriptionUrbaType.csv")


@cache
def information_labels() -> dict[str, str]:
    return _code_labels("InformationUrbaType.csv")
