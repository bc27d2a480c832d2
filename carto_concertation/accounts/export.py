# SPDX-License-Identifier: AGPL-3.0-or-later
"""“Download my data” (GDPR art. 15 and 20): one zip of what the platform holds on a person.

Each section is one function ``(user) -> ExportSection``; it becomes ``<name>.json`` in
the zip, plus ``<name>.geojson`` (RFC 7946: WGS84, counter-clockwise exterior rings, 7
decimals) when it has places. The account section is written here; every participation
module declares its own sections in its manifest (``personal_data``), built with the
helpers below, so that a module that stores something about a person adds its section
without touching accounts.

Only the person's own data goes in. Other people appear in it by nothing, not even by
pseudonym: a section names another person's row by its number, never by its author.
"""

import io
import json
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.contrib.gis.db.models import GeometryField
from django.contrib.gis.db.models.functions import AsGeoJSON, Transform
from django.db.models import Func, QuerySet
from django.utils import timezone

from carto_concertation.core.audit import audit_record
from carto_concertation.core.modules import modules

from .models import User
from .selectors import notification_choices, user_roles


@dataclass
class ExportSection:
    name: str
    records: list[dict]
    # GeoJSON Features when the section has places; None when it has none by nature.
    features: list[dict] | None = field(default=None)


def wgs84_geojson(path: str = "geom") -> AsGeoJSON:
    """ST_AsGeoJSON(ST_ForcePolygonCCW(ST_Transform(geom, 4326)), 7): RFC 7946 geometry."""
    ccw = Func(Transform(path, 4326), function="ST_ForcePolygonCCW", output_field=GeometryField())
    return AsGeoJSON(ccw, precision=7)


def iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def located_section(
    name: str, rows: QuerySet, properties_of: Callable[[Any], dict], *, geometry: str
) -> ExportSection:
    """Rows that have a place at ``geometry`` (a field path, e.g. the idea a vote is on),
    oldest first: their records, and the same as GeoJSON features at that place."""
    located = rows.annotate(geometry=wgs84_geojson(geometry))
    records, features = [], []
    for row in located.order_by("created_at", "pk"):
        properties = properties_of(row)
        records.append(properties)
        features.append(
            {"type": "Feature", "geometry": json.loads(row.geometry), "properties": properties}
        )
    return ExportSection(name=name, records=records, features=features)


def account_section(user: User) -> ExportSection:
    record = {
        "email": user.email,
        "pseudonym": user.pseudonym,
        "date_joined": iso(user.date_joined),
        "last_login": iso(user.last_login),
        "roles": sorted(user_roles(user=user)),
        "notifications": notification_choices(user=user),
        "email_addresses": [
            {"email": a.email, "verified": a.verified, "primary": a.primary}
            for a in user.emailaddress_set.order_by("pk")
        ],
        "consents": [
            {"version": c.version, "accepted_at": iso(c.accepted_at)}
            for c in user.consents.order_by("accepted_at")
        ],
    }
    return ExportSection(name="account", records=[record])


def sections() -> list[Callable[[User], ExportSection]]:
    """The account's section, then every module's, in registration order."""
    return [account_section] + [
        section for manifest in modules() for section in manifest.personal_data
    ]


def user_data_zip(
    *,
    user: User,
    origin: Mapping[str, str] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> bytes:
    """The zip of every section, built in memory: a person's own data is small (a few
    hundred contributions and votes make well under a megabyte). ``origin``: the address
    and browser of the request that asked for it (core.audit, a job's params);
    ``progress(done, total)`` after each section."""
    buffer = io.BytesIO()
    generated_at = timezone.now().isoformat()
    builders = sections()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for done, build in enumerate(builders, start=1):
            section = build(user)
            archive.writestr(
                f"{section.name}.json",
                _dumps({"generated_at": generated_at, section.name: section.records}),
            )
            if section.features is not None:
                collection = {"type": "FeatureCollection", "features": section.features}
                archive.writestr(f"{section.name}.geojson", _dumps(collection))
            if progress is not None:
                progress(done, len(builders))
    audit_record("accounts.data_exported", user, actor=user, origin=origin)
    return buffer.getvalue()


def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2)
