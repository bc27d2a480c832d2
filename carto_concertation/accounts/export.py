# SPDX-License-Identifier: AGPL-3.0-or-later
"""“Download my data” (GDPR art. 15 and 20): one zip of what the platform holds on a person.

Each section is one function ``(user) -> ExportSection`` listed in SECTIONS; it becomes
``<name>.json`` in the zip, plus ``<name>.geojson`` (RFC 7946: WGS84, counter-clockwise
exterior rings, 7 decimals) when it has places. A domain that stores something about a
person adds one function here, appended to SECTIONS.

Only the person's own data goes in: their account, what they wrote (contributions,
comments, reports), their votes, and for a relay the workshops they planned and the ideas
they typed in. Other people appear in it by nothing, not even by pseudonym: a reply names
the comment it answers by its number, a capture leaves out the participant.
"""

import io
import json
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.contrib.gis.db.models import GeometryField
from django.contrib.gis.db.models.functions import AsGeoJSON, Transform
from django.db.models import Func, QuerySet
from django.utils import timezone

from carto_concertation.contributions.models import Comment, Contribution, Report, Vote
from carto_concertation.workshops.models import Workshop, WorkshopCapture

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


def _feature(geometry: str, properties: dict) -> dict:
    return {"type": "Feature", "geometry": json.loads(geometry), "properties": properties}


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


def _at_their_contribution(
    name: str, rows: QuerySet, properties_of: Callable[[Any], dict]
) -> ExportSection:
    """Rows about a contribution (a vote, a comment, a capture), oldest first: their
    records, and as features at the place of the contribution."""
    located = rows.annotate(geometry=_wgs84_geojson("contribution__geom"))
    records, features = [], []
    for row in located.order_by("created_at", "pk"):
        properties = properties_of(row)
        records.append(properties)
        features.append(_feature(row.geometry, properties))
    return ExportSection(name=name, records=records, features=features)


def _contribution_named(row) -> dict:
    """The contribution a row is about, by number, title and concertation."""
    return {
        "contribution": row.contribution_id,
        "contribution_title": row.contribution.title,
        "concertation": row.contribution.concertation.slug,
    }


def votes_section(user: User) -> ExportSection:
    """My votes, each with the place of the contribution voted on (not its author)."""
    return _at_their_contribution(
        "votes",
        Vote.objects.filter(voter=user).select_related("contribution__concertation"),
        lambda v: {
            **_contribution_named(v),
            "value": v.value,
            "created_at": _iso(v.created_at),
        },
    )


def comments_section(user: User) -> ExportSection:
    """My comments, each with the place of the contribution it is on."""
    return _at_their_contribution(
        "comments",
        Comment.objects.filter(author=user).select_related("contribution__concertation"),
        lambda c: {
            "id": c.pk,
            **_contribution_named(c),
            "in_reply_to": c.parent_id,
            "text": c.text,
            "status": c.status,
            "moderation_reason": c.moderation_reason,
            "created_at": _iso(c.created_at),
        },
    )


def reports_section(user: User) -> ExportSection:
    """What I reported to the moderators, and why."""
    reports = Report.objects.filter(reporter=user).order_by("created_at", "pk")
    records = [
        {
            "contribution": r.contribution_id,
            "comment": r.comment_id,
            "reason": r.reason,
            "created_at": _iso(r.created_at),
            "dealt_with_at": _iso(r.resolved_at),
        }
        for r in reports
    ]
    return ExportSection(name="reports", records=records)


def workshops_section(user: User) -> ExportSection:
    """A relay's workshops: those they planned (without the facilitator's name or the
    notes, which may name others) and the ideas they typed in (without the participant)."""
    planned = (
        Workshop.objects.filter(created_by=user)
        .select_related("commune", "concertation")
        .order_by("created_at", "pk")
    )
    captured = _at_their_contribution(
        "captured",
        WorkshopCapture.objects.filter(captured_by=user).select_related(
            "contribution__concertation"
        ),
        lambda c: {
            "workshop": c.workshop_id,
            **_contribution_named(c),
            "channel": c.channel,
            "created_at": _iso(c.created_at),
        },
    )
    record = {
        "planned": [
            {
                "id": w.pk,
                "concertation": w.concertation.slug,
                "commune": w.commune.insee,
                "starts_at": _iso(w.starts_at),
                "place": w.place,
                "created_at": _iso(w.created_at),
            }
            for w in planned
        ],
        "captured": captured.records,
    }
    return ExportSection(name="workshops", records=[record], features=captured.features)


SECTIONS: list[Callable[[User], ExportSection]] = [
    account_section,
    contributions_section,
    comments_section,
    votes_section,
    reports_section,
    workshops_section,
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
