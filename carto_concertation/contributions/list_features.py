# SPDX-License-Identifier: AGPL-3.0-or-later
"""The features of the public contribution list, built by PostgreSQL in one statement.

What ``ContributionOutputSerializer`` answers, field for field and in its key order, for
a page of contributions: PostgreSQL joins the author's pseudonym, the commune, the
themes, zones, photos and published comments and writes the geometry as GeoJSON in
WGS84 (ST_AsGeoJSON, 7 decimals, as the serializer rounds); Python only assembles the
dictionaries. The serializer's way cost 0.25 s of CPU for a page of 100: the zones it
prefetched came with their whole polygons, parsed by GEOS for nothing, and every field
went through DRF's field machinery (docs/adr/0006-public-list-built-by-postgresql.md).
"""

import json
from datetime import datetime

from django.db import connection
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from psycopg.rows import namedtuple_row

from carto_concertation.engagement.models import Comment
from carto_concertation.engagement.selectors import target_type_id

from .models import Contribution
from .selectors import ideas_settings_of
from .serializers import hidden_placeholder
from .tallies import as_its_voter_reads

# Zones and photos in the order the serializer's prefetches gave them (link id, photo
# id); themes in the Theme model's order. A contribution's themes are its concertation's
# (services.py): said in the join, they are looked up among its few, not in a hash of
# every concertation's themes built for each idea (this statement took 5.0 ms at ×10 of
# the scale bench, 2.9 at ×1; 2.5 and 2.4 since).
_FEATURES_SQL = """
SELECT c.id,
       ST_AsGeoJSON(ST_Transform(c.geom, 4326), 7) AS geometry,
       c.title,
       c.text,
       ARRAY(
           SELECT t.name FROM contributions_contribution_themes ct
           JOIN concertations_theme t ON t.id = ct.theme_id
           WHERE ct.contribution_id = c.id AND t.concertation_id = c.concertation_id
           ORDER BY t.name
       ) AS themes,
       u.pseudonym,
       c.channel,
       c.status,
       c.answer,
       c.answer_service,
       c.answered_at,
       m.insee AS commune,
       z.libelles AS zone_libelles,
       z.typezones AS zone_typezones,
       z.shares AS zone_shares,
       p.ids AS photo_ids,
       p.widths AS photo_widths,
       p.heights AS photo_heights,
       c.votes_for,
       c.votes_against,
       c.rating_sum,
       c.rating_count,
       -- The viewer's own vote when left out of the tallies (a banned account's): added
       -- back for it alone (tallies.py). NULL for anyone else, and for an anonymous one.
       (SELECT v.value FROM engagement_vote v
        WHERE v.content_type_id = %(contribution_type)s AND v.object_id = c.id
          AND v.voter_id = %(viewer)s AND NOT v.counted) AS own_uncounted,
       c.concertation_id,
       (SELECT count(*) FROM engagement_comment cm
        WHERE cm.content_type_id = %(contribution_type)s AND cm.object_id = c.id
          AND cm.status = %(published)s) AS comment_count,
       c.moderation_reason,
       c.merged_into_id AS merged_into,
       c.created_at
FROM unnest(%(ids)s::bigint[]) WITH ORDINALITY AS page (id, position)
JOIN contributions_contribution c ON c.id = page.id
LEFT JOIN accounts_user u ON u.id = c.author_id
LEFT JOIN territories_commune m ON m.id = c.commune_id
LEFT JOIN LATERAL (
    SELECT array_agg(zone.libelle ORDER BY link.id) AS libelles,
           array_agg(zone.typezone ORDER BY link.id) AS typezones,
           array_agg(link.share ORDER BY link.id) AS shares
    FROM contributions_contributionzone link
    JOIN plui_documents_zone zone ON zone.id = link.zone_id
    WHERE link.contribution_id = c.id
) z ON true
LEFT JOIN LATERAL (
    SELECT array_agg(photo.id ORDER BY photo.id) AS ids,
           array_agg(photo.width ORDER BY photo.id) AS widths,
           array_agg(photo.height ORDER BY photo.id) AS heights
    FROM contributions_contributionphoto photo
    WHERE photo.contribution_id = c.id
) p ON true
ORDER BY page.position
"""


def contribution_features(*, ids: list[int], request: HttpRequest) -> list[dict]:
    """The GeoJSON features of the contributions ``ids``, in that order, as the public
    list shows them (a hidden idea as its placeholder)."""
    if not ids:
        return []
    with connection.cursor() as cursor:
        cursor.cursor.row_factory = namedtuple_row
        cursor.execute(
            _FEATURES_SQL,
            {
                "ids": ids,
                "published": str(Comment.Status.PUBLISHED),
                "contribution_type": target_type_id(Contribution),
                "viewer": request.user.pk if request.user.is_authenticated else None,
            },
        )
        rows = cursor.fetchall()
    output = _Output(request)
    features = [output.feature(row) for row in rows]
    modes: dict[int, str] = {}
    for row, feature in zip(rows, features, strict=True):
        if row.own_uncounted is not None:
            if row.concertation_id not in modes:
                modes[row.concertation_id] = ideas_settings_of(row.concertation_id).vote_mode
            mode = modes[row.concertation_id]
            as_its_voter_reads(feature["properties"], mode, row.own_uncounted)
    return features


# Stands for a photo's id in its address, made once a page rather than once a photo.
_PHOTO_MARK = "918273645"
# Whole coordinates stay floats, as the serializer's rounding gave them.
_GEOMETRY = json.JSONDecoder(parse_int=float)


class _Output:
    """What a request's features share: its language's words, its host, its time zone."""

    def __init__(self, request: HttpRequest):
        self.anonymous = gettext("Anonymous participant")
        self.zone = timezone.get_current_timezone()
        photo = reverse("api:contribution-photo", kwargs={"pk": _PHOTO_MARK})
        self.photo_url = request.build_absolute_uri(photo).rsplit(_PHOTO_MARK, 1)

    def feature(self, row) -> dict:
        if row.status == Contribution.Status.HIDDEN:
            # The placeholder: the public reason, nothing of the idea, not even its place.
            geometry, text, themes, author, zones, photos = None, "", [], None, [], []
            title = hidden_placeholder(row.moderation_reason)
            commune, answer, answer_service, answered_at = None, "", "", None
        else:
            geometry = _GEOMETRY.decode(row.geometry)
            title, text, themes = row.title, row.text, row.themes
            commune, answer, answer_service = row.commune, row.answer, row.answer_service
            answered_at = row.answered_at
            author = self.anonymous if row.pseudonym is None else row.pseudonym
            zones = [
                {"libelle": libelle, "typezone": typezone, "share": share}
                for libelle, typezone, share in zip(
                    row.zone_libelles or (),
                    row.zone_typezones or (),
                    row.zone_shares or (),
                    strict=True,
                )
            ]
            photos = [
                {"id": pk, "url": str(pk).join(self.photo_url), "width": width, "height": height}
                for pk, width, height in zip(
                    row.photo_ids or (),
                    row.photo_widths or (),
                    row.photo_heights or (),
                    strict=True,
                )
            ]
        return {
            "id": row.id,
            "type": "Feature",
            "geometry": geometry,
            "properties": {
                "title": title,
                "text": text,
                "themes": themes,
                "author": author,
                "channel": row.channel,
                "status": row.status,
                "answer": answer,
                "answer_service": answer_service,
                "answered_at": self.moment(answered_at),
                "commune": commune,
                "zones": zones,
                "photos": photos,
                "votes_for": row.votes_for,
                "votes_against": row.votes_against,
                "rating_sum": row.rating_sum,
                "rating_count": row.rating_count,
                "comment_count": row.comment_count,
                "moderation_reason": row.moderation_reason,
                "merged_into": row.merged_into,
                "created_at": self.moment(row.created_at),
            },
        }

    def moment(self, value: datetime | None) -> str | None:
        """As DRF's DateTimeField writes it: ISO 8601 in the current time zone, Z for UTC."""
        if value is None:
            return None
        moment = value.astimezone(self.zone).isoformat()
        return moment[:-6] + "Z" if moment.endswith("+00:00") else moment
