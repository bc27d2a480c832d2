# SPDX-License-Identifier: AGPL-3.0-or-later
"""The ideas' open dataset: every property of an idea that may leave the server.

The tiles (tiles.py), the open-data exports (exports/selectors.py) and the API
(serializers.py) each pick their properties from here; a name not declared below is
refused when the module loads. The author's e-mail address, their account and a
moderation actor are not here, so no surface can publish them; the pseudonym is (the
page and the API sign an idea with it), the exports leave it out.

Its features (opendata: OGC API, the open files) are the ideas residents see on the maps
of every public concertation, with the collectivité's answer, as the exports give them:
neither the pseudonym nor a moderation reason (it may quote the author).
"""

from collections.abc import Sequence

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from carto_concertation.concertations.selectors import concertation_public_list
from carto_concertation.core.modules import (
    SITE_WIDE,
    DatasetDeclaration,
    FeatureSource,
    PublicField,
    published_moment,
)
from carto_concertation.territories.selectors import module_on

from .models import IDEAS_MODULE, Contribution
from .selectors import PUBLIC_STATUSES, with_themes_zones_photos

INTEGER, NUMBER, ARRAY = "integer", "number", "array"
# The ideas' tilesets: ``contributions-<space slug>``, and the site-wide one (tiles.py).
TILESET_PREFIX = "contributions-"


def idea_spaces_open() -> QuerySet:
    """The concertations whose ideas are open data: public, holding the ideas, where the
    module is on."""
    return concertation_public_list().filter(module_on(IDEAS_MODULE), modules__module=IDEAS_MODULE)


def ideas_open() -> QuerySet[Contribution]:
    """The ideas of the open data: shown on the map (no idea waiting, withdrawn, hidden or
    merged) of a public concertation holding the ideas, where the module is on."""
    public = Contribution.objects.filter(
        status__in=PUBLIC_STATUSES, concertation__in=idea_spaces_open().values("pk")
    ).select_related("concertation", "commune")
    return with_themes_zones_photos(public).defer("geom", "geom_3857", "search")


def idea_properties(rows: Sequence[Contribution], base_url: str) -> list[dict]:
    """Each idea's open properties (the exports' columns, its photos and concertation)."""
    answered = []
    for idea in rows:
        zones = sorted(idea.zone_links.all(), key=lambda link: (-link.share, link.zone.libelle))
        main = zones[0] if zones else None
        answered.append(
            {
                "id": idea.pk,
                "concertation": idea.concertation.slug,
                "title": idea.title,
                "text": idea.text,
                "themes": sorted(theme.name for theme in idea.themes.all()),
                "status": idea.status,
                "channel": idea.channel,
                "commune_insee": idea.commune.insee if idea.commune else None,
                "commune_name": idea.commune.name if idea.commune else None,
                "zone_libelle": main.zone.libelle if main else None,
                "zone_typezone": main.zone.typezone if main else None,
                "zone_share": round(main.share, 3) if main else None,
                "zones": [
                    {
                        "libelle": link.zone.libelle,
                        "typezone": link.zone.typezone,
                        "share": round(link.share, 3),
                    }
                    for link in zones
                ],
                "photos": [
                    base_url + reverse("api:contribution-photo", kwargs={"pk": photo.pk})
                    for photo in idea.photos.all()
                ],
                "votes_for": idea.votes_for,
                "votes_against": idea.votes_against,
                "rating_sum": idea.rating_sum,
                "rating_count": idea.rating_count,
                "rating_mean": round(idea.rating_sum / idea.rating_count, 2)
                if idea.rating_count
                else None,
                "support": idea.votes_for - idea.votes_against + idea.rating_sum,
                "comment_count": idea.comment_count,
                "answer": idea.answer or None,
                "answer_service": idea.answer_service or None,
                "answered_at": published_moment(idea.answered_at),
                "created_at": published_moment(idea.created_at),
            }
        )
    return answered


IDEAS = DatasetDeclaration(
    name="contributions",
    title=_("Contributions"),
    description=_(
        "Ideas placed on the map of a concertation, with their themes, their PLU/PLUi zones, "
        "their votes and the collectivité's answer."
    ),
    geometry_type="Geometry",
    fields=(
        PublicField("id", _("number"), INTEGER),
        PublicField("concertation", _("concertation (its address)")),
        PublicField("title", _("title")),
        PublicField("text", _("text")),
        PublicField("themes", _("themes"), ARRAY),
        PublicField("theme", _("first theme (its number)"), INTEGER),
        PublicField("author", _("pseudonym of the author")),
        PublicField("status", _("status")),
        PublicField("channel", _("channel")),
        PublicField("commune", _("commune (INSEE code)")),
        PublicField("commune_insee", _("commune (INSEE code)")),
        PublicField("commune_name", _("commune")),
        PublicField("zones", _("PLU/PLUi zones and their shares"), ARRAY),
        PublicField("zone_libelle", _("main zone")),
        PublicField("zone_typezone", _("type of the main zone")),
        PublicField("zone_share", _("share of the main zone"), NUMBER),
        PublicField("photos", _("photos"), ARRAY),
        PublicField("votes_for", _("votes for"), INTEGER),
        PublicField("votes_against", _("votes against"), INTEGER),
        PublicField("rating_sum", _("sum of the ratings"), INTEGER),
        PublicField("rating_count", _("ratings"), INTEGER),
        PublicField("rating_mean", _("mean rating"), NUMBER),
        PublicField("support", _("support (for − against + ratings)"), INTEGER),
        PublicField("comment_count", _("published comments"), INTEGER),
        PublicField("answer", _("answer of the collectivité")),
        PublicField("answer_service", _("answering service")),
        PublicField("answered_at", _("answered on"), "string", "date-time"),
        PublicField("moderation_reason", _("reason given by moderation")),
        PublicField("merged_into", _("merged into (its number)"), INTEGER),
        PublicField("created_at", _("created at"), "string", "date-time"),
        PublicField("created", _("day it was created"), "string", "date"),
    ),
    tileset=f"{TILESET_PREFIX}{SITE_WIDE}",
    features=FeatureSource(
        rows=ideas_open,
        properties=idea_properties,
        moment="created_at",
        territory="concertation__territory",
    ),
    keywords=("concertation", "participation citoyenne", "contributions", "urbanisme"),
)
