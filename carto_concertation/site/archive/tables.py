# SPDX-License-Identifier: AGPL-3.0-or-later
"""Which tables travel in the archive, and what each one is made of.

Read from the installed apps (the project's own: ``carto_concertation.*``, ``layers``,
``plui_documents``, ``tiles``) and from the database's catalogue, never from a list of
modules: a module added tomorrow travels without a line here. Besides the project's
tables, what they reference and must travel with them: the auth groups (and their
permissions), allauth's e-mail addresses. Content types and permissions are *reference*
tables: every instance writes them at migration under ids of its own, so they travel
with their natural keys and the import maps the archive's ids onto the instance's.
Left behind on purpose: sessions, the admin's log, the staff audit journal (its
administrators download it as CSV: it goes into no export), pending e-mail
confirmations, the migrations' own table (recorded in the manifest instead).
"""

from dataclasses import dataclass

from django.apps import apps
from django.db import connection

PROJECT_APPS = ("layers", "plui_documents", "tiles")
PROJECT_PREFIX = "carto_concertation."
# Models outside the project's apps whose rows belong to the platform's data.
TRAVELLING_MODELS = ("auth.Group", "account.EmailAddress")
# Project models whose rows stay on the instance (docs/security.md, Audit journal).
LEFT_BEHIND_MODELS = ("core.AuditEntry",)
# Written by every instance's migrations under its own ids: matched by natural key.
REFERENCE_MODELS = ("contenttypes.ContentType", "auth.Permission")
# The reference table each one is matched in, and the natural key of its rows.
REFERENCE_KEYS = {
    "django_content_type": ("app_label", "model"),
    "auth_permission": ("content_type_id", "codename"),
}


@dataclass(frozen=True)
class Column:
    name: str
    udt: str  # PostgreSQL's type name: int8, timestamptz, _varchar (an array)…
    nullable: bool
    max_length: int | None = None
    # The reference table this column points to (content type, permission), if any.
    references: str = ""

    @property
    def is_array(self) -> bool:
        return self.udt.startswith("_")

    @property
    def is_json(self) -> bool:
        return self.udt in {"json", "jsonb"} or self.is_array


@dataclass(frozen=True)
class Geometry:
    column: str
    srid: int
    type: str  # POINT, MULTIPOLYGON, GEOMETRY…
    dimensions: int


@dataclass(frozen=True)
class ArchivedTable:
    name: str
    model: str  # "app_label.ModelName" (for the documentation of the archive)
    description: str
    pk: str
    columns: tuple[Column, ...]  # every stored column but the generated ones
    geometry: Geometry | None
    reference: bool = False

    @property
    def file(self) -> str:
        return "geodata.gpkg" if self.geometry else f"data/{self.name}.json"

    @property
    def schema(self) -> str:
        return f"schema/{self.name}.schema.json"

    def column(self, name: str) -> Column:
        return next(column for column in self.columns if column.name == name)


def _models() -> list[tuple[object, bool]]:
    found = []
    for config in apps.get_app_configs():
        if config.name.startswith(PROJECT_PREFIX) or config.name in PROJECT_APPS:
            found += [(model, False) for model in config.get_models(include_auto_created=True)]
    for label in TRAVELLING_MODELS:
        try:
            model = apps.get_model(label)
        except LookupError:  # allauth may be left out of an instance
            continue
        found.append((model, False))
        # Its own many-to-many tables (a group's permissions).
        found += [
            (field.remote_field.through, False)
            for field in model._meta.local_many_to_many
            if field.remote_field.through._meta.auto_created
        ]
    found += [(apps.get_model(label), True) for label in REFERENCE_MODELS]
    return found


def archived_tables() -> list[ArchivedTable]:
    """Every table the archive holds, reference tables first, then by name."""
    chosen: dict[str, tuple[object, bool]] = {}
    for model, reference in _models():
        meta = model._meta
        if meta.proxy or not meta.managed or meta.label in LEFT_BEHIND_MODELS:
            continue
        chosen.setdefault(meta.db_table, (model, reference))
    names = sorted(chosen)
    columns = _columns(names)
    geometries = _geometries(names)
    references = _references(names)
    tables = []
    for name in names:
        model, reference = chosen[name]
        meta = model._meta
        tables.append(
            ArchivedTable(
                name=name,
                model=meta.label,
                description=str(meta.verbose_name),
                pk=meta.pk.column,
                columns=tuple(
                    Column(
                        column,
                        udt,
                        nullable,
                        max_length,
                        references.get((name, column), ""),
                    )
                    for column, udt, nullable, max_length in columns[name]
                ),
                geometry=geometries.get(name),
                reference=reference,
            )
        )
    # Content types before permissions: a permission is matched by its content type.
    order = list(REFERENCE_KEYS)
    return sorted(
        tables,
        key=lambda t: (not t.reference, order.index(t.name) if t.reference else 0, t.name),
    )


def _columns(names: list[str]) -> dict[str, list[tuple[str, str, bool, int | None]]]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name::text, column_name::text, udt_name::text, is_nullable = 'YES',"
            " character_maximum_length FROM information_schema.columns"
            " WHERE table_schema = current_schema() AND is_generated = 'NEVER'"
            " AND table_name = ANY(%s) ORDER BY table_name, ordinal_position",
            [names],
        )
        found: dict[str, list] = {name: [] for name in names}
        for table, *column in cursor.fetchall():
            found[table].append(tuple(column))
    return found


def _geometries(names: list[str]) -> dict[str, Geometry]:
    """The stored geometry of each table (the generated Web Mercator copies left out:
    PostgreSQL computes them again)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT g.f_table_name::text, g.f_geometry_column::text, g.srid, g.type,"
            " g.coord_dimension FROM geometry_columns g"
            " JOIN information_schema.columns c ON c.table_schema = g.f_table_schema"
            " AND c.table_name = g.f_table_name AND c.column_name = g.f_geometry_column"
            " WHERE g.f_table_schema = current_schema() AND c.is_generated = 'NEVER'"
            " AND g.f_table_name = ANY(%s) ORDER BY 1, 2",
            [names],
        )
        found: dict[str, Geometry] = {}
        for table, column, srid, kind, dimensions in cursor.fetchall():
            if table in found:
                raise ValueError(f"{table}: more than one stored geometry column")
            found[table] = Geometry(column, srid, kind, dimensions)
    return found


def _references(names: list[str]) -> dict[tuple[str, str], str]:
    """(table, column) → the reference table its foreign key points to."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.conrelid::regclass::text, a.attname::text, c.confrelid::regclass::text"
            " FROM pg_constraint c JOIN pg_attribute a ON a.attrelid = c.conrelid"
            " AND a.attnum = ANY(c.conkey)"
            " WHERE c.contype = 'f' AND c.confrelid::regclass::text = ANY(%s)"
            " AND c.conrelid::regclass::text = ANY(%s)",
            [list(REFERENCE_KEYS), names],
        )
        return {(table, column): target for table, column, target in cursor.fetchall()}
