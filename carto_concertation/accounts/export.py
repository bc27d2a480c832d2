# SPDX-License-Identifier: AGPL-3.0-or-later
"""“Download my data” (GDPR art. 15 and 20): one zip of what the platform holds on a person.

Each section is one function ``(user) -> ExportSection`` listed in SECTIONS; it becomes
``<name>.json`` in the zip, plus ``<name>.geojson`` (RFC 7946: WGS84, counter-clockwise
exterior rings, 7 decimals) when it has places. A domain that stores something about a
person adds one function here (comments: a ``comments_section`` reading the comments
whose author is the user, appended to SECTIONS).

Only the person's own data goes in: their account, what they wrote, their votes. Other
people appear in it by nothing, not even by pseudonym.
"""

import io
import json
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.gis.db.models import GeometryField
from django.contrib.gis.db.models.functions import AsGeoJSON, Transform
from django.db.models import Func
from django.utils import timezone

from carto_concertation.contributions.models import Contribution, Vote

from .models import User
from .notifications import KINDS
from .selectors import user_roles


@dataclass
class ExportSection:
    name: str
    records: list[dict]
    # GeoJSON Features when the section has places; None when it has none by nature.
    features: list[dict] | None = field(default=None)


def _wgs84_geojson(path: str = "geom") -> AsGeoJSON:
    """ST_AsGeoJSON(ST_ForcePolygonCCW(ST_Transform(geom, 4326)), 7): RFC 7946 geometry."""
    ccw = Func(Transform(path, 4326), function="ST_ForcePolygonCCW", output_field=GeometryField())
    return AsGeoJSON(ccw, precision=7)


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def account_section(user: User) -> ExportSection:
    record = {
        "email": user.email,
        "pseudonym": user.pseudonym,
        "date_joined": _iso(user.date_joined),
        "last_login": _iso(user.last_login),
        "roles": sorted(user_roles(user=user)),
        "notifications": {kind: getattr(user, field) for kind, field in KINDS.items()},
        "email_addresses": [
            {"email": a.email, "verified": a.verified, "primary": a.primary}
            for a in user.emailaddress_set.order_by("pk")
        ],
        "consents": [
            {"version": c.version, "accepted_at": _iso(c.accepted_at)}
            for c in user.consents.order_by("accepted_at")
        ],
    }
    return ExportSection(name="account", records=[record])


def contributions_section(user: User) -> ExportSection:
    contributions = (
        Contribution.objects.filter(author=user)
        .select_related("concertation", "commune")
        .prefetch_related("themes")
        .annotate(geometry=_wgs84_geojson())
        .order_by("created_at", "pk")
    )
    records, features = [], []
    for c in contributions:
        properties = {
            "id": c.pk,
            "concertation": c.concertation.slug,
            "concertation_title": c.concertation.title,
            "title": c.title,
            "text": c.text,
            "themes": [t.name for t in c.themes.all()],
            "channel": c.channel,
            "status": c.status,
            "answer": c.answer,
            "answer_service": c.answer_service,
            "answered_at": _iso(c.answered_at),
            "commune": c.commune.insee if c.commune_id else None,
            "votes_for": c.votes_for,
            "votes_against": c.votes_against,
            "rating_sum": c.rating_sum,
            "rating_count": c.rating_count,
            "created_at": _iso(c.created_at),
            "updated_at": _iso(c.updated_at),
        }
        geometry = json.loads(c.geometry)
        records.append(properties | {"geometry": geometry})
        features.append(
            {"type": "Feature", "id": c.pk, "geometry": geometry, "properties": properties}
        )
    return ExportSection(name="contributions", records=records, features=features)


def votes_section(user: User) -> ExportSection:
    """My votes, each with the place of the contribution voted on (not its author)."""
    votes = (
        Vote.objects.filter(voter=user)
        .select_related("contribution__concertation")
        .annotate(geometry=_wgs84_geojson("contribution__geom"))
        .order_by("created_at", "pk")
    )
    records, features = [], []
    for v in votes:
        properties = {
            "contribution": v.contribution_id,
            "contribution_title": v.contribution.title,
            "concertation": v.contribution.concertation.slug,
            "value": v.value,
            "created_at": _iso(v.created_at),
        }
        records.append(properties)
        features.append(
            {"type": "Feature", "geometry": json.loads(v.geometry), "properties": properties}
        )
    return ExportSection(name="votes", records=records, features=features)


SECTIONS: list[Callable[[User], ExportSection]] = [
    account_section,
    contributions_section,
    votes_section,
]


def user_data_zip(*, user: User) -> bytes:
    """The zip of every section, built in memory: a person's own data is small (a few
    hundred contributions and votes make well under a megabyte)."""
    buffer = io.BytesIO()
    generated_at = timezone.now().isoformat()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for build in SECTIONS:
            section = build(user)
            archive.writestr(
                f"{section.name}.json",
                _dumps({"generated_at": generated_at, section.name: section.records}),
            )
            if section.features is not None:
                collection = {"type": "FeatureCollection", "features": section.features}
                archive.writestr(f"{section.name}.geojson", _dumps(collection))
    return buffer.getvalue()


def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2)
