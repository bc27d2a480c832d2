# SPDX-License-Identifier: AGPL-3.0-or-later
"""Filters in a tile URL (``?theme=3&status=retained,under_study&created_after=2026-01-01``).

The names are the house's vocabulary (``core.filters.VOCABULARY``), the same as the
lists' and the dashboard's, aliases included (``since`` / ``until``); which of them a
tileset takes, and the values it knows, its layers say (``LayerDefinition.filters``, from
the module that declares the tileset). Read in two steps so that a cached tile costs no
database query: the syntax first (numbers, dates, codes), which gives the canonical form
used in the cache key; then, only when the tile has to be made, the values against what
the tileset accepts (the themes of that space, the module's public statuses). A bad value
is a 400 naming the parameter as the URL wrote it, and the reason.

Every parameter of the vocabulary reaches the tile statement, NULL when not asked
(``%(theme)s``, ``%(status)s``, ``%(created_after)s``…): one prepared statement serves
every combination.
"""

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _

from carto_concertation.core.filters import VOCABULARY, FilterParam
from layers.registry import LayerDefinition

_NO_PARAMS = dict.fromkeys(param.name for param in VOCABULARY)
_NAMES = frozenset(name for param in VOCABULARY for name in param.names)
_KINDS = {param.name: param.kind for param in VOCABULARY}

Value = tuple[int, ...] | tuple[str, ...] | datetime.date


class TileFilterError(ValueError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message

    def as_dict(self) -> dict[str, list[str]]:
        return {self.field: [self.message]}


@dataclass(frozen=True)
class TileFilters:
    # (parameter's own name, value, the name the URL used), in the vocabulary's order.
    chosen: tuple[tuple[str, Value, str], ...] = ()

    def params(self) -> dict:
        """The SQL parameters every tile statement receives (None: no filter)."""
        params = dict(_NO_PARAMS)
        for name, value, _written in self.chosen:
            params[name] = list(value) if isinstance(value, tuple) else value
        return params

    def key(self) -> str:
        """The canonical form, part of the cache key ("" without filters)."""
        return "&".join(f"{name}={_text(value)}" for name, value, _written in self.chosen)

    def used(self) -> list[str]:
        return [name for name, _value, _written in self.chosen]


NO_FILTERS = TileFilters()


def _text(value: Value) -> str:
    return ",".join(str(item) for item in value) if isinstance(value, tuple) else str(value)


def _value(param: FilterParam, written: str, text: str) -> Value:
    if param.kind in ("date_from", "date_to"):
        try:
            return datetime.date.fromisoformat(text)
        except ValueError:
            raise TileFilterError(written, _("Give a date as YYYY-MM-DD.")) from None
    items = sorted({item.strip() for item in text.split(",") if item.strip()})
    if param.kind == "ids":
        if not all(item.isascii() and item.isdigit() and len(item) <= 9 for item in items):
            raise TileFilterError(written, _("Give numbers, separated by commas."))
        return tuple(sorted(int(item) for item in items))
    if any(not item.isascii() or not item.replace("_", "").isalpha() for item in items):
        raise TileFilterError(written, _("Give codes, separated by commas."))
    return tuple(items)


def tile_filters_parse(query: Mapping[str, str]) -> TileFilters:
    """The filters of a query string, checked for their form only."""
    if not query or _NAMES.isdisjoint(query):
        return NO_FILTERS
    chosen: list[tuple[str, Value, str]] = []
    for param in VOCABULARY:
        # The parameter's own name first, then its aliases: the first one given counts.
        given = [(name, query[name].strip()) for name in param.names if name in query]
        written, text = next(((name, text) for name, text in given if text), (None, ""))
        if written is None:
            continue
        value = _value(param, written, text)
        if value != ():
            chosen.append((param.name, value, written))
    dates = {_KINDS[name]: (value, written) for name, value, written in chosen}
    since, until = dates.get("date_from"), dates.get("date_to")
    if since and until and since[0] > until[0]:
        raise TileFilterError(until[1], _("The end date comes before the start date."))
    return TileFilters(tuple(chosen)) if chosen else NO_FILTERS


def tile_filters_check(filters: TileFilters, layers: Sequence[LayerDefinition]) -> None:
    """Refuse a filter the tileset does not take, or a value it does not know."""
    if not filters.chosen:
        return
    accepted: dict[str, set[str]] = {}
    for layer in layers:
        for name, values in layer.filters:
            accepted.setdefault(name, set()).update(values)
    for name, value, written in filters.chosen:
        if name not in accepted:
            raise TileFilterError(written, _("This layer cannot be filtered this way."))
        if isinstance(value, tuple):  # numbers and codes: each one known to the layer
            unknown = [str(item) for item in value if str(item) not in accepted[name]]
            if unknown:
                raise TileFilterError(
                    written,
                    _("Unknown or non-public value: %(value)s.") % {"value": ", ".join(unknown)},
                )
