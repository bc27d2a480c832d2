# SPDX-License-Identifier: AGPL-3.0-or-later
"""Filters in a tile URL (``?theme=3&status=retained,under_study&since=2026-01-01``).

Read in two steps so that a cached tile costs no database query: the syntax first
(integers, dates, names), which gives the canonical form used in the cache key; then,
only when the tile has to be made, the values against what the tileset accepts (the
themes of that concertation, its public statuses). A bad value is a 400 naming the
filter and the reason.
"""

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _

from layers.registry import LayerDefinition

DATE_FILTERS = ("since", "until")
FILTER_NAMES = ("theme", "status", *DATE_FILTERS)


class TileFilterError(ValueError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message

    def as_dict(self) -> dict[str, list[str]]:
        return {self.field: [self.message]}


@dataclass(frozen=True)
class TileFilters:
    theme: int | None = None
    statuses: tuple[str, ...] = ()
    since: datetime.date | None = None
    until: datetime.date | None = None

    def params(self) -> dict:
        """The SQL parameters every tile statement receives (None: no filter)."""
        return {
            "theme": self.theme,
            "statuses": list(self.statuses) or None,
            "since": self.since,
            "until": self.until,
        }

    def key(self) -> str:
        """The canonical form, part of the cache key ("" without filters)."""
        parts = [
            f"theme={self.theme}" if self.theme is not None else "",
            f"status={','.join(self.statuses)}" if self.statuses else "",
            f"since={self.since}" if self.since else "",
            f"until={self.until}" if self.until else "",
        ]
        return "&".join(part for part in parts if part)

    def used(self) -> list[str]:
        names = zip(FILTER_NAMES, (self.theme, self.statuses, self.since, self.until), strict=True)
        return [name for name, value in names if value not in (None, ())]


NO_FILTERS = TileFilters()


def _date(name: str, value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise TileFilterError(name, _("Give a date as YYYY-MM-DD.")) from None


def tile_filters_parse(query: Mapping[str, str]) -> TileFilters:
    """The filters of a query string, checked for their form only."""
    if not query:
        return NO_FILTERS
    theme = query.get("theme", "").strip()
    if theme and not (theme.isascii() and theme.isdigit() and len(theme) <= 9):
        raise TileFilterError("theme", _("Give a theme by its number."))
    statuses = tuple(
        sorted({value.strip() for value in query.get("status", "").split(",") if value.strip()})
    )
    if any(not status.isascii() or not status.replace("_", "").isalpha() for status in statuses):
        raise TileFilterError("status", _("Give statuses by their code, separated by commas."))
    since = _date("since", query["since"].strip()) if query.get("since", "").strip() else None
    until = _date("until", query["until"].strip()) if query.get("until", "").strip() else None
    if since and until and since > until:
        raise TileFilterError("until", _("The end date comes before the start date."))
    return TileFilters(
        theme=int(theme) if theme else None, statuses=statuses, since=since, until=until
    )


def tile_filters_check(filters: TileFilters, layers: Sequence[LayerDefinition]) -> None:
    """Refuse a filter the tileset does not take, or a value it does not know."""
    used = filters.used()
    if not used:
        return
    accepted: dict[str, set[str]] = {}
    for layer in layers:
        for name, values in layer.filters:
            accepted.setdefault(name, set()).update(values)
    for name in used:
        if name not in accepted:
            raise TileFilterError(name, _("This layer cannot be filtered this way."))
    if filters.theme is not None and str(filters.theme) not in accepted["theme"]:
        raise TileFilterError("theme", _("No such theme in this concertation."))
    unknown = [status for status in filters.statuses if status not in accepted.get("status", ())]
    if unknown:
        raise TileFilterError(
            "status", _("Unknown or non-public status: %(value)s.") % {"value": ", ".join(unknown)}
        )
