# SPDX-License-Identifier: AGPL-3.0-or-later
"""The ideas module's sections of “download my data” (declared in its manifest).

What the person wrote (contributions, comments, reports), their votes and the ideas
they follow. Others appear
by nothing: a vote or a comment names the idea it is on by number, title and concertation,
a reply the comment it answers by its number — never an author.
"""

import json

from django.db.models import F, Q

from carto_concertation.accounts.export import ExportSection, iso, located_section, wgs84_geojson
from carto_concertation.engagement.models import Comment, Report, Vote

from .models import Contribution, Follow


def contributions_section(user) -> ExportSection:
    contributions = (
        Contribution.objects.filter(author=user)
        .select_related("concertation", "commune")
        .prefetch_related("themes")
        .annotate(geometry=wgs84_geojson())
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
            "answered_at": iso(c.answered_at),
            "commune": c.commune.insee if c.commune_id else None,
            "votes_for": c.votes_for,
            "votes_against": c.votes_against,
            "rating_sum": c.rating_sum,
            "rating_count": c.rating_count,
            "created_at": iso(c.created_at),
            "updated_at": iso(c.updated_at),
        }
        geometry = json.loads(c.geometry)
        records.append(properties | {"geometry": geometry})
        features.append(
            {"type": "Feature", "id": c.pk, "geometry": geometry, "properties": properties}
        )
    return ExportSection(name="contributions", records=records, features=features)


def _on_contributions(rows):
    """Engagement's rows on ideas (a vote or a comment may be on another module's
    model: that module's section tells of it), with the idea's title and concertation."""
    return rows.of_model(Contribution).annotate(
        contribution_title=F("contribution__title"),
        concertation_slug=F("contribution__concertation__slug"),
    )


def _contribution_named(row) -> dict:
    """The contribution a row is about, by number, title and concertation."""
    return {
        "contribution": row.object_id,
        "contribution_title": row.contribution_title,
        "concertation": row.concertation_slug,
    }


def votes_section(user) -> ExportSection:
    """My votes, each with the place of the contribution voted on (not its author)."""
    return located_section(
        "votes",
        _on_contributions(Vote.objects.filter(voter=user)),
        lambda v: {
            **_contribution_named(v),
            "value": v.value,
            "created_at": iso(v.created_at),
        },
        geometry="contribution__geom",
    )


def comments_section(user) -> ExportSection:
    """My comments, each with the place of the contribution it is on."""
    return located_section(
        "comments",
        _on_contributions(Comment.objects.filter(author=user)),
        lambda c: {
            "id": c.pk,
            **_contribution_named(c),
            "in_reply_to": c.parent_id,
            "text": c.text,
            "status": c.status,
            "moderation_reason": c.moderation_reason,
            "created_at": iso(c.created_at),
        },
        geometry="contribution__geom",
    )


def reports_section(user) -> ExportSection:
    """What I reported to the moderators, and why."""
    on_ideas = Q(contribution__isnull=False) | Q(comment__contribution__isnull=False)
    reports = (
        Report.objects.filter(reporter=user)
        .filter(on_ideas)
        .annotate(comment_id=F("comment__pk"))
        .order_by("created_at", "pk")
    )
    records = [
        {
            "contribution": None if r.comment_id else r.object_id,
            "comment": r.comment_id,
            "reason": r.reason,
            "created_at": iso(r.created_at),
            "dealt_with_at": iso(r.resolved_at),
        }
        for r in reports
    ]
    return ExportSection(name="reports", records=records)


def follows_section(user) -> ExportSection:
    """The ideas I follow (follow.py), by number, title and concertation."""
    follows = (
        Follow.objects.filter(user=user)
        .select_related("contribution__concertation")
        .order_by("created_at", "pk")
    )
    records = [
        {
            "contribution": f.contribution_id,
            "contribution_title": f.contribution.title,
            "concertation": f.contribution.concertation.slug,
            "created_at": iso(f.created_at),
        }
        for f in follows
    ]
    return ExportSection(name="follows", records=records)
