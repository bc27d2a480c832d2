# SPDX-License-Identifier: AGPL-3.0-or-later
"""The declarations a module's manifest is made of (core.modules re-exports them)."""

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.functional import Promise


@dataclass(frozen=True)
class NotificationKind:
    """A kind of e-mail a module sends; each person accepts or refuses it on their page."""

    key: str
    label: str | Promise
    default: bool = True


@dataclass(frozen=True)
class MapSpace:
    """What the map of a participatory space — its style, its offline package — knows of
    it, whatever model holds it."""

    pk: int
    slug: str
    title: str
    territory_id: int
    perimeter: Any  # a GEOS (multi)polygon in settings.SRID
    zoning: bool  # a PLU/PLUi is attached: its zoning is drawn under the modules' layers
    themes: tuple[tuple[int, str], ...] = ()  # (id, colour) of its themes, in their order
    # The PLU/PLUi (plui_documents.UrbanDocument) whose current zones the figures per zone
    # are counted on; None without one.
    zoning_document_id: int | None = None
    # The names of the modules it holds and has on in its territory, in its order: the
    # only ones its map draws and counts.
    modules: tuple[str, ...] = ()


@dataclass(frozen=True)
class SpaceLookup:
    """How the backbone finds a space: ``public(slug)`` among those residents see (the
    style, the offline package's request), ``get(pk)`` whatever its status (a package's
    job started earlier). Each answers None when there is no such space.
    ``in_territory(territory_id)`` gives the slugs of a territory's public spaces: their
    tilesets are announced changed when a module is switched off or on there.
    ``module_add(slug, module)`` adds a module to a public space."""

    public: Callable[[str], MapSpace | None]
    get: Callable[[int], MapSpace | None]
    in_territory: Callable[[int], Iterable[str]] | None = None
    # ``module_add(slug, module)``: the space (public, by slug) holds this module from now
    # on, through the space's own service (a module's demo, which names no space).
    module_add: Callable[[str, str], None] | None = None


@dataclass(frozen=True)
class StylePart:
    """A module's part of a space's MapLibre style (version 8): its sources, its layers
    (drawn above the backbone's, in registration order) and keys of the style's metadata."""

    sources: Mapping[str, dict]
    layers: Sequence[dict]
    metadata: Mapping[str, Any] = field(default_factory=dict)


# The suffix of a module's site-wide tileset (``TilesetDeclaration.site_wide``): no space
# and no edition may take it as its slug (``slug_is_reserved``).
SITE_WIDE = "portail"


def slug_is_reserved(slug: str) -> bool:
    """A slug that would name a site-wide tileset rather than a space's."""
    return slug == SITE_WIDE


@dataclass(frozen=True)
class TilesetDeclaration:
    """A module's vector tiles: the tilesets whose name starts with ``prefix``, one per
    space (``prefix + slug``).

    ``layers(tileset) -> [LayerDefinition]`` answers for one tileset name (layers.registry;
    none for an unknown name), ``style(space, tilejson_url) -> StylePart`` gives its part of
    the space's MapLibre style (the URL is its tileset's TileJSON), and ``offline`` says
    whether the offline package of a space carries it.

    ``site_wide``: ``layers`` also answers for ``site_tileset`` (``prefix + SITE_WIDE``),
    which draws every public feature of the module's open dataset, whatever the space or
    the territory — the rows of its ``FeatureSource``, no more (OGC API – Tiles serves it
    for the dataset's collection). The module's writes announce their changes to it as to
    the spaces' tilesets; the backbone announces it changed with every space's (its
    status, themes, modules) and when the module is switched off or on in a territory.
    ``space_footprint(space_id) -> Footprint`` (core.changes), when given, is where a
    space's features show on the site-wide tileset: a space's change then makes stale
    only those tiles there, not the whole tileset on every territory;
    ``space_draws_nothing`` when its rows belong to a territory whatever its spaces.
    """

    prefix: str
    layers: Callable[[str], Sequence[Any]]
    style: Callable[[MapSpace, str], StylePart] | None = None
    offline: bool = False
    site_wide: bool = False
    space_footprint: Callable[[int], tuple] | None = None

    def tileset(self, space_slug: str) -> str:
        return f"{self.prefix}{space_slug}"

    @property
    def site_tileset(self) -> str:
        """The name of its site-wide tileset, "" when it has none."""
        return self.tileset(SITE_WIDE) if self.site_wide else ""


def space_draws_nothing(space_id: int) -> tuple:
    """The ``space_footprint`` of a site-wide tileset that draws no space's features (its
    rows belong to a territory, whatever its spaces): a space saved makes none of its
    tiles stale."""
    return ()


class NotAPublicField(ValueError):
    pass


@dataclass(frozen=True)
class PublicField:
    """One property a module publishes: its name, what it means, its type (JSON Schema's
    words: string, integer, number, boolean, array; ``format`` date-time or date)."""

    name: str
    label: str | Promise = field(compare=False)
    type: str = "string"
    format: str = ""


@dataclass(frozen=True)
class FeatureSource:
    """Where an open dataset's features come from, for every open surface that lists
    them (OGC API – Features, the scheduled open files, the DCAT catalogue's extents).

    ``rows()`` is a queryset of the public rows only (hidden means hidden: what a resident
    may not see is not in it), each with a geometry field ``geometry`` (any SRID; a row
    may have none). ``properties(rows, base_url)`` gives, for these rows in their order,
    each one's public properties by name, every name a declared field of the dataset
    (the readers refuse any other); ``base_url`` ("https://example.org", no trailing
    slash) makes links absolute. The feature's id is the row's pk. ``moment`` names the
    date or date-time field the ``datetime`` filter and the temporal extent read ("" when
    the rows have none); ``territory`` the lookup from a row to its territory
    ("territory", "version__document__territory"), which files and DCAT split by."""

    rows: Callable[[], Any]
    properties: Callable[[Sequence[Any], str], list[dict[str, Any]]]
    geometry: str = "geom"
    moment: str = ""
    territory: str = "territory"


def published_moment(value: datetime | None) -> str | None:
    """A date-time as every open surface publishes it: local time, to the second.

    GDAL keeps seconds as a float32, so a microsecond like .99996 comes back as the next
    second plus a million microseconds, and pyogrio (QGIS's reader) refuses the feature.
    """
    return timezone.localtime(value).isoformat(timespec="seconds") if value else None


@dataclass(frozen=True)
class DatasetDeclaration:
    """A module's open dataset: the one list of what may leave the server about its rows.

    Each surface — its tile layers, its exports, its API, and (issue 22) OGC API and DCAT —
    takes its properties with ``pick(*names)``, which refuses a name not declared here: a
    field is published because it is declared public, never because a query selected it.
    """

    name: str
    title: str | Promise = field(compare=False)
    description: str | Promise = field(compare=False)
    geometry_type: str  # "Point", "Geometry", "MultiPolygon"…
    fields: tuple[PublicField, ...]
    # Its features (OGC API, the open files); None for a dataset only its module serves.
    features: FeatureSource | None = field(default=None, compare=False)
    # A tileset drawing every public feature of the dataset, whatever the space or the
    # territory (OGC API – Tiles links it): a module's is the ``site_tileset`` of one of its
    # TilesetDeclaration (core.checks); "" when there is none.
    tileset: str = ""
    # Keywords of its DCAT entry (data.gouv.fr's tags), in French.
    keywords: tuple[str, ...] = ()

    def field_names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)

    def pick(self, *names: str) -> tuple[str, ...]:
        """These names, in this order, each of them a declared public field."""
        declared = set(self.field_names())
        if unknown := [name for name in names if name not in declared]:
            raise NotAPublicField(f"{self.name}: {', '.join(unknown)} not declared public")
        return names


@dataclass(frozen=True)
class FigureDeclaration:
    """A figure a module counts per zone and per commune of a space (the dashboards, the
    bilan): ``per_zone(space) -> {zone id: n}`` over the space's PLU/PLUi zones and
    ``per_commune(space) -> {commune id: n}``; a zone or commune without any is left out."""

    name: str
    label: str | Promise = field(compare=False)
    per_zone: Callable[["MapSpace"], Mapping[int, int]]
    per_commune: Callable[["MapSpace"], Mapping[int, int]]


@dataclass(frozen=True)
class HomeSection:
    """What a space or a module shows on the home page: ``template`` rendered with
    ``context(request)``, in registration order, above the territories."""

    template: str
    context: Callable[[HttpRequest], Mapping[str, Any]]


@dataclass(frozen=True)
class DemoBackbone:
    """What a space's or a module's demo builds on: the backbone's demo (site.demo)."""

    # The demo territory (territories.Territory), its PLUi loaded; None when another
    # territory was there first: a module then adds nothing.
    territory: Any
    # The demo account (accounts.User) of each role (accounts.Role).
    accounts: Mapping[str, Any]
    # The demo accounts' password (DEBUG only), for the accounts a module adds.
    password: str | None


@dataclass(frozen=True)
class ModerationEntry:
    """One item of a module as the moderators' back office shows it (engagement's pages):
    what it is, where it stands, the open reports on it and the actions that apply now."""

    model: str  # its declaration's ``model`` ("contributions.contribution")
    pk: int
    space_pk: int  # the space it belongs to (MapSpace.pk)
    title: str
    excerpt: str
    author: str = ""  # the author's public pseudonym, never more
    url: str = ""  # its public page, "" when it is not public
    state: str = "published"  # "waiting", "reported", "published", "hidden", or the module's
    created_at: Any = None
    reason: str = ""  # a hidden item's public reason
    reports: tuple[tuple[str, Any], ...] = ()  # (reason, date) of each open report
    actions: frozenset[str] = frozenset()  # of "approve", "hide", "restore", "merge"
    # For the merge page: its supports, its place (longitude, latitude in WGS84) and commune.
    supports: int | None = None
    place: tuple[float, float] | None = None
    commune: str = ""


@dataclass(frozen=True)
class ModeratedModel:
    """A model a module lets moderators moderate from the back office (engagement's
    pages), and residents report. Every callable is the module's own: its services keep
    their rules (who, which statuses, the public log, the author told) and raise
    PermissionDenied or ValidationError; the back office checks the moderator's territory
    before it calls them, and shows the error.

    ``model`` names it ("app_label.model", lower case; comments on the module's targets
    are "engagement.comment"), ``label`` in a word ("idée"). ``queue(space_pk)``: its items
    of the space waiting or reported, oldest first; ``hidden(space_pk)``: those hidden,
    most recent first; ``counts(space_pk) -> {"waiting", "reported", "hidden": n}``;
    ``entry(pk)``: one item whatever its state, None when there is none.
    ``act[action](pk, actor, reason)`` for "approve", "hide", "restore";
    ``merge(pk, into_pk, actor, reason)`` and ``merge_candidates(pk)`` (the entries it may
    be merged into) where twins can be merged; ``report(pk, reporter, reason)`` where
    residents report it. ``links(pks) -> {pk: (title, url)}``: the title and public page
    of each that is public (the public log links its lines with them)."""

    model: str
    label: str | Promise = field(compare=False)
    queue: Callable[[int], Sequence[ModerationEntry]]
    hidden: Callable[[int], Sequence[ModerationEntry]]
    counts: Callable[[int], Mapping[str, int]]
    entry: Callable[[int], ModerationEntry | None]
    act: Mapping[str, Callable[[int, Any, str], Any]] = field(default_factory=dict)
    merge: Callable[[int, int, Any, str], Any] | None = None
    merge_candidates: Callable[[int], Sequence[ModerationEntry]] | None = None
    report: Callable[[int, Any, str], Any] | None = None
    links: Callable[[Sequence[int]], Mapping[int, tuple[str, str]]] | None = None


@dataclass(frozen=True)
class ProcessingDeclaration:
    """One processing of personal data (GDPR article 30): a line of the record of
    processing (registre des traitements) and of the privacy notice.

    ``data`` says what is collected, ``purpose`` why (the finalité), ``legal_basis`` on
    which ground (article 6), ``subjects`` of whom, ``recipients`` who receives it, and
    ``retention()`` for how long, read when asked so that it follows the settings
    (``RETENTION_*``, a module's own)."""

    key: str
    name: str | Promise = field(compare=False)
    data: str | Promise = field(compare=False)
    purpose: str | Promise = field(compare=False)
    legal_basis: str | Promise = field(compare=False)
    recipients: str | Promise = field(compare=False)
    retention: Callable[[], str | Promise] = field(compare=False)
    subjects: str | Promise = field(compare=False, default="")


@dataclass(frozen=True)
class ModuleManifest:
    """What one participation module brings to the house (see the module docstring)."""

    name: str
    label: str | Promise
    app_label: str
    # Phase kind → the features it enables (e.g. {"ideas": {"contribute", "vote"}}).
    phases: Mapping[str, frozenset[str]] = field(default_factory=dict)
    # Its permissions: action → django-rules predicate (composed from accounts.rules'),
    # registered as "<app_label>.<action>" and checked with user.has_perm(perm, obj).
    permissions: Mapping[str, Any] = field(default_factory=dict)
    # Models ("app_label.Model") that take comments, reports, votes and moderation.
    engagement_models: Sequence[str] = ()
    tilesets: Sequence[TilesetDeclaration] = ()
    # Its open datasets (public fields declared once) and its figures per zone and commune.
    datasets: Sequence[DatasetDeclaration] = ()
    figures: Sequence[FigureDeclaration] = ()
    notification_kinds: Sequence[NotificationKind] = ()
    # "Download my data": each callable (user) -> accounts.export.ExportSection, and what
    # they hold, in a phrase the page lists ("your contributions, comments…").
    personal_data: Sequence[Callable[[Any], Any]] = ()
    personal_data_description: str | Promise = ""
    # Account deletion: each callable (user) runs before the account's row goes.
    on_account_deletion: Sequence[Callable[[Any], None]] = ()
    # The record of processing and the privacy notice: what personal data the module
    # collects, why, on which ground, for whom and for how long (ProcessingDeclaration).
    processing: Sequence[ProcessingDeclaration] = ()
    # Dotted path of a URL module: ``api_patterns`` (included under /api/v1/, namespace
    # "api", before the API router's routes), ``api_routes`` ((prefix, viewset, basename)
    # registered on the API router, so that the API root lists them) and ``page_patterns``
    # (included at the site's root, after the backbone's: the module mounts its own prefix
    # and namespace). Each name is optional.
    urls: str | None = None
    # load_demo: demo(backbone) writes the module's demo once, in a transaction of its own,
    # after the backbone's and in registration order; it answers the line load_demo
    # prints, None when it added nothing.
    demo: Callable[[DemoBackbone], str | None] | None = None
    home: HomeSection | None = None
    # The account page: each callable (user) -> accounts.panels.AccountPanel or None
    # (the module's links under "My work" and its block of the person's own things).
    account_page: Sequence[Callable[[Any], Any]] = ()
    # What other modules may call (the only way one module reaches another: they do not
    # import each other), by name; and the modules this one needs installed to work.
    services: Mapping[str, Callable[..., Any]] = field(default_factory=dict)
    requires: Sequence[str] = ()
    # The module in a space. A space holds instances of modules (the concertation's
    # SpaceModule rows, as a Decidim space holds components), one per module, in order.
    # ``in_new_spaces``: a space created without a list of modules holds this one.
    # ``instance_settings``: the names of the settings a space's creation passes on to
    # ``instance_setup(instance, values)``, which writes the settings of a new instance
    # (the given values, the defaults for the others; ValidationError naming the field).
    in_new_spaces: bool = False
    instance_settings: frozenset[str] = frozenset()
    instance_setup: Callable[[Any, Mapping[str, Any]], None] | None = None
    # What the module adds to the space's public description, space -> {key: value}:
    # merged into the space's API payload, after the space's own status; and the DRF
    # serializer class whose fields describe those keys in the OpenAPI schema.
    space_settings: Callable[[Any], Mapping[str, Any]] | None = None
    space_settings_schema: type | None = None
    # Its entry on the space's page, space -> (label, url), or None (no entry there).
    space_entry: Callable[[Any], tuple[str, str] | None] | None = None
    # The space's page itself, (request, space) -> HttpResponse: the first module a space
    # holds (and has on) with one renders the space's page (the ideas: their map);
    # without any, the space shows its own page with the modules' entries.
    space_page: Callable[[HttpRequest, Any], Any] | None = None
    # The moderators' back office (engagement's pages, /moderation/) and the residents'
    # report page: each of its moderated models, how to list, show, act on and report
    # its items (ModeratedModel). The back office is built once for every module.
    moderation: Sequence[ModeratedModel] = ()
    # What the search box of a space's map finds among the module's things, from our own
    # data: (space: MapSpace, query, limit) -> [core.search.SearchHit], public ones only;
    # the hits form the module's group, under its label (concertations/search.py).
    search: Callable[[Any, str, int], Sequence[Any]] | None = None
    # The staff actions its services record in the audit journal (core.audit.audit_record):
    # code ("<module>.<action>") → label in French (gettext_lazy). An undeclared code is
    # refused.
    audit_actions: Mapping[str, str | Promise] = field(default_factory=dict)


@dataclass(frozen=True)
class SpaceManifest:
    """A kind of participatory space (the concertation): where the modules take place.

    A space is composed like a module — its URLs, its home section, its demo — but it is no
    module: it brings no tileset, e-mail or personal data of its own and is not switched
    off, so the readers of ``modules()`` do not see it (Decidim registers its spaces apart
    from its components too).
    """

    name: str
    label: str | Promise
    app_label: str
    # The three slots read as a module's (ModuleManifest).
    urls: str | None = None
    demo: Callable[[DemoBackbone], str | None] | None = None
    home: HomeSection | None = None
    # How the map's style and offline package find a space of this kind.
    lookup: SpaceLookup | None = None
