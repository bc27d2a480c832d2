# SPDX-License-Identifier: AGPL-3.0-or-later
"""The JSON Schema (draft 2020-12) of each table's JSON file, written under schema/.

A file is an array of rows; a row is an object with every stored column of the table,
under the column's name, its value as PostgreSQL's ``row_to_json`` writes it: numbers
(``numeric`` exact, as written), strings (text, dates, date-times in RFC 3339 with their
offset, UUIDs, full-text vectors), JSON as is, arrays as JSON arrays, ``null``.
"""

from typing import Any

from django.apps import apps

from .tables import ArchivedTable, Column

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"

_INTEGERS = {"int2", "int4", "int8"}
_NUMBERS = {"float4", "float8", "numeric"}
_FORMATS = {"date": "date", "timestamptz": "date-time", "uuid": "uuid"}


def _scalar(udt: str, max_length: int | None = None) -> dict[str, Any]:
    if udt in _INTEGERS:
        return {"type": "integer"}
    if udt in _NUMBERS:
        return {"type": "number"}
    if udt == "bool":
        return {"type": "boolean"}
    if udt in {"json", "jsonb"}:
        return {}
    described: dict[str, Any] = {"type": "string"}
    if udt in _FORMATS:
        described["format"] = _FORMATS[udt]
    elif udt == "timestamp":
        described["description"] = "ISO 8601 date-time without offset"
    elif udt == "bytea":
        described["pattern"] = "^\\\\x([0-9a-f]{2})*$"
        described["description"] = "bytes, as PostgreSQL writes them: \\x then hexadecimal"
    if max_length:
        described["maxLength"] = max_length
    return described


def _column_schema(column: Column, labels: dict[str, str]) -> dict[str, Any]:
    if column.is_array:
        described: dict[str, Any] = {"type": "array", "items": _scalar(column.udt[1:])}
    else:
        described = _scalar(column.udt, column.max_length)
    if column.nullable and "type" in described:
        described["type"] = [described["type"], "null"]
    title = labels.get(column.name)
    if title:
        described["title"] = title
    notes = [f"PostgreSQL type {column.udt}"]
    if column.references:
        notes.append(f"the id of a row of {column.references} (see its file)")
    described["description"] = "; ".join([described.get("description", ""), *notes]).strip("; ")
    return described


def _labels(table: ArchivedTable) -> dict[str, str]:
    """Each column's verbose name, from its model's field (in English)."""
    model = apps.get_model(table.model)
    labels = {}
    for field in model._meta.concrete_fields:
        labels[field.column] = str(field.verbose_name)
    return labels


def table_schema(table: ArchivedTable) -> dict[str, Any]:
    labels = _labels(table)
    return {
        "$schema": SCHEMA_DIALECT,
        "$id": table.schema,
        "title": table.name,
        "description": (
            f"{table.description} ({table.model}): every row of the table, its primary key"
            f" {table.pk}."
        ),
        "type": "array",
        "items": {
            "type": "object",
            "properties": {column.name: _column_schema(column, labels) for column in table.columns},
            "required": [column.name for column in table.columns],
            "additionalProperties": False,
        },
    }
