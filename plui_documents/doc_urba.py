# SPDX-License-Identifier: AGPL-3.0-or-later
"""The delivered document's row of DOC_URBA and DOC_URBA_COM, and its identity.

A delivery of one document has one DOC_URBA row; a departmental extract lists several,
and the zones tell which one is delivered.
"""

import re

from django.contrib.gis.gdal import DataSource
from django.utils.translation import gettext as _

from carto_concertation.territories.validators import is_valid_insee_code, is_valid_siren
from layers.sources import SourceError
from layers.staging import StagedTable

from . import importer
from .delivery import Delivery, DeliveryTable
from .models import DocumentType


def read_tables(delivery: Delivery) -> tuple[list[dict], list[dict]]:
    """DOC_URBA's rows and DOC_URBA_COM's, as text with lower-case keys.

    One row in a delivery of one document; a departmental extract lists several.
    """
    return _table_rows(delivery.tables.get("DOC_URBA")), _table_rows(
        delivery.tables.get("DOC_URBA_COM")
    )


def _table_rows(entry: DeliveryTable | None) -> list[dict]:
    if entry is None:
        return []
    layer = DataSource(entry.source, encoding=entry.encoding or "utf-8")[entry.layer or 0]
    return [
        {name.lower(): _as_text(feature.get(name)) for name in layer.fields} for feature in layer
    ]


# What tells the DOC_URBA row of the delivered document among several, by weight: its
# IDURBA is the zones' (or the one given), one of the zones' communes is listed for it
# (DOC_URBA_COM, or the INSEE code its IDURBA begins with), its IDURBA begins with the
# SIREN or INSEE code the delivery is named after, its approval date is the zones' or
# the delivery's.
_SAME_IDURBA, _SAME_COMMUNE, _SAME_PREFIX, _SAME_DATE = 8, 4, 2, 1
_ID_PREFIX = re.compile(r"^(\d{9}|\d{5}|2[AB]\d{3})", re.IGNORECASE)


def pick_document(
    documents: list[dict],
    links: list[dict],
    zones: StagedTable,
    idurba: str | None,
    delivery_name: str,
) -> dict:
    """The DOC_URBA row of the document the zones belong to, with its communes."""
    if len(documents) <= 1:
        chosen = documents[0] if documents else {}
    else:
        chosen = _best_document(documents, links, zones, idurba, delivery_name)
    chosen = dict(chosen)
    if len(documents) > 1:  # an extract lists the communes of every document
        links = [link for link in links if link.get("idurba") == chosen.get("idurba")]
    communes = {link.get("insee", "") for link in links}
    if links:
        chosen["communes"] = sorted(code for code in communes if is_valid_insee_code(code))
    return chosen


def _best_document(
    documents: list[dict],
    links: list[dict],
    zones: StagedTable,
    idurba: str | None,
    delivery_name: str,
) -> dict:
    wanted = (idurba or importer.most_common_value(zones, "idurba")).upper()
    zone_communes = set(importer.distinct_values(zones, "insee"))
    dates = {importer.most_common_value(zones, "datappro")}
    if found := re.search(r"(\d{8})$", delivery_name):
        dates.add(found.group(1))
    prefix = _ID_PREFIX.match(delivery_name)

    def score(document: dict) -> int:
        own = document.get("idurba", "")
        listed = {link.get("insee") for link in links if link.get("idurba") == own}
        if (own_prefix := _ID_PREFIX.match(own)) and len(own_prefix.group(1)) == 5:
            listed.add(own_prefix.group(1))
        return (
            _SAME_IDURBA * bool(wanted and own.upper() == wanted)
            + _SAME_COMMUNE * bool(listed & zone_communes)
            + _SAME_PREFIX * bool(prefix and own.upper().startswith(prefix.group(1).upper()))
            + _SAME_DATE * bool(document.get("datappro") in dates - {""})
        )

    scores = sorted(((score(d), n) for n, d in enumerate(documents)), reverse=True)
    (best, index), runner_up = scores[0], scores[1][0]
    if best == 0 or best == runner_up:
        raise SourceError(
            _(
                "DOC_URBA lists %(count)s documents (%(idurbas)s) and the zones do not tell "
                "which one is delivered: give its IDURBA."
            )
            % {
                "count": len(documents),
                "idurbas": ", ".join(d.get("idurba", "?") for d in documents[:10]),
            },
            field="idurba",
        )
    return documents[index]


def _as_text(value) -> str:
    if value is None:
        return ""
    if hasattr(value, "strftime"):
        return value.strftime("%Y%m%d")
    return str(value).strip()


def document_identity(
    idurba: str | None, doc: dict, zones: StagedTable, delivery_name: str
) -> dict:
    if not idurba:
        idurba = doc.get("idurba") or importer.most_common_value(zones, "idurba") or delivery_name
    idurba = idurba.strip()[:30]
    typedoc = (doc.get("typedoc") or "").upper()
    if typedoc not in DocumentType.values:
        match = re.search(
            r"(?:^|_)(PLUI|PLU|POS|PSMV|CC)(?:_|$)", f"{idurba}_{delivery_name}".upper()
        )
        typedoc = match.group(1) if match else DocumentType.PLU
    prefix = re.match(r"^(\d{9}|\d{5}|2[AB]\d{3})", idurba)
    siren = doc.get("siren") or (prefix.group(1) if prefix and len(prefix.group(1)) == 9 else "")
    insee = prefix.group(1) if prefix and len(prefix.group(1)) == 5 else ""
    return {
        "idurba": idurba,
        "typedoc": typedoc,
        "siren": siren if is_valid_siren(siren) else "",
        "insee": insee if is_valid_insee_code(insee) else "",
    }
