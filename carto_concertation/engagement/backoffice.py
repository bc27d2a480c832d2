# SPDX-License-Identifier: AGPL-3.0-or-later
"""The reads of the moderators' back office and of the public log page, over the models
the modules declare (``ModuleManifest.moderation``, ModeratedModel) and the spaces the
space manifests look up: no module and no space is named here."""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from carto_concertation.accounts.models import Role
from carto_concertation.accounts.selectors import territories_for_role
from carto_concertation.core.modules import (
    MapSpace,
    ModuleManifest,
    modules,
    space_get,
    space_public,
    space_slugs_in_territory,
    spaces,
)
from carto_concertation.core.modules.declarations import ModeratedModel, ModerationEntry
from carto_concertation.territories.models import Territory

from .models import ModerationAction

STATES = ("waiting", "reported", "hidden")


def moderated_models() -> list[tuple[ModuleManifest, ModeratedModel]]:
    """Every module's moderated models, in registration order."""
    return [(manifest, declared) for manifest in modules() for declared in manifest.moderation]


def moderated_models_of(space: MapSpace) -> list[ModeratedModel]:
    """Those of the modules the space holds and has on."""
    return [declared for manifest, declared in moderated_models() if manifest.name in space.modules]


def entry_find(model: str, pk: int) -> tuple[ModeratedModel, ModerationEntry]:
    """The item ``pk`` of a declared model, with its declaration, or Http404 (a model
    declared by two modules, "engagement.comment", answers through the one that has it)."""
    for _manifest, declared in moderated_models():
        if declared.model == model and (entry := declared.entry(pk)) is not None:
            return declared, entry
    raise Http404


def reportable_entry(model: str, pk: int) -> tuple[ModeratedModel, ModerationEntry]:
    """A public item residents may report: of a module that takes reports and is on in
    its space; or Http404 (what the public does not see has no report page)."""
    declared, entry = entry_find(model, pk)
    space = space_get(entry.space_pk)
    if (
        declared.report is None
        or not entry.url
        or space is None
        or declared not in moderated_models_of(space)
    ):
        raise Http404
    return declared, entry


def entry_in_space(space: MapSpace, model: str, pk: int) -> tuple[ModeratedModel, ModerationEntry]:
    """The item ``pk`` of a model declared by a module the space holds and has on, and
    belonging to that space; or Http404 (a module switched off moderates nothing there)."""
    for declared in moderated_models_of(space):
        if declared.model == model and (entry := declared.entry(pk)) is not None:
            if entry.space_pk != space.pk:
                raise Http404
            return declared, entry
    raise Http404


def moderated_territories(user) -> QuerySet[Territory]:
    """Where the person moderates (every territory, for an administrator)."""
    return territories_for_role(user=user, role=Role.MODERATOR).order_by("name")


def moderator_check(user, space: MapSpace) -> None:
    """A moderator of the space's territory (or an administrator), or PermissionDenied."""
    if not moderated_territories(user).filter(pk=space.territory_id).exists():
        raise PermissionDenied


def space_for_moderator(user, slug: str) -> MapSpace:
    space = space_public(slug)
    if space is None:
        raise Http404
    moderator_check(user, space)
    return space


@dataclass
class SpaceCounts:
    space: MapSpace
    counts: dict[str, int] = field(default_factory=dict)


@dataclass
class TerritoryCounts:
    territory: Territory
    spaces: list[SpaceCounts]

    @property
    def counts(self) -> dict[str, int]:
        return {state: sum(s.counts[state] for s in self.spaces) for state in STATES}


def space_counts(space: MapSpace, declared: Iterable[ModeratedModel] | None = None) -> dict:
    """How many items of the space wait, are reported, are hidden (every model)."""
    totals = dict.fromkeys(STATES, 0)
    for model in moderated_models_of(space) if declared is None else declared:
        for state, n in model.counts(space.pk).items():
            if state in totals:
                totals[state] += n
    return totals


def moderation_overview(user, territory_id: int | None = None) -> list[TerritoryCounts]:
    """The territories the person moderates (one, when asked), each with its public
    spaces and their counts."""
    territories = moderated_territories(user)
    if territory_id is not None:
        territories = territories.filter(pk=territory_id)
    overview = []
    for territory in territories:
        found = filter(
            None, (space_public(slug) for slug in space_slugs_in_territory(territory.pk))
        )
        overview.append(
            TerritoryCounts(territory, [SpaceCounts(space, space_counts(space)) for space in found])
        )
    return overview


def space_queue(space: MapSpace, model: str = "") -> tuple[list, list]:
    """The space's items waiting or reported (oldest first) and those hidden (most
    recent first), of every declared model or of one."""
    declared = [d for d in moderated_models_of(space) if not model or d.model == model]
    queue = sorted(
        (entry for d in declared for entry in d.queue(space.pk)),
        # A module's entry may have no date: it comes last.
        key=lambda entry: (entry.created_at is None, entry.created_at or 0),
    )
    hidden = [entry for d in declared for entry in d.hidden(space.pk)]
    return queue, hidden


def log_space(slug: str) -> tuple[MapSpace, QuerySet[ModerationAction]]:
    """A public space and its public log, most recent first, or Http404."""
    for manifest in spaces():
        if manifest.lookup is None or (space := manifest.lookup.public(slug)) is None:
            continue
        lines = (
            ModerationAction.objects.filter(
                space_type__app_label=manifest.app_label, space_id=space.pk
            )
            .select_related("content_type", "comment")
            .order_by("-created_at", "-id")
        )
        return space, lines
    raise Http404


def log_links(lines: Iterable[ModerationAction]) -> dict[int, tuple[str, str]]:
    """The title and public page of each line's target where it is public:
    {line id: (title, url)}."""
    wanted: dict[str, set[int]] = {}
    for line in lines:
        if line.content_type_id is not None:
            key = f"{line.content_type.app_label}.{line.content_type.model}"
            wanted.setdefault(key, set()).add(line.object_id)
    urls: dict[tuple[str, int], tuple[str, str]] = {}
    for _manifest, declared in moderated_models():
        if declared.links is not None and declared.model in wanted:
            for pk, link in declared.links(sorted(wanted[declared.model])).items():
                urls[(declared.model, pk)] = link
    return {
        line.pk: urls[key]
        for line in lines
        if line.content_type_id is not None
        and (key := (f"{line.content_type.app_label}.{line.content_type.model}", line.object_id))
        in urls
    }
