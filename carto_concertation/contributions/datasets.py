# SPDX-License-Identifier: AGPL-3.0-or-later
"""The ideas' open dataset: every property of an idea that may leave the server.

The tiles (tiles.py), the open-data exports (exports/selectors.py) and the API
(serializers.py) each pick their properties from here; a name not declared below is
refused when the module loads. The author's e-mail address, their account and a
moderation actor are not here, so no surface can publish them; the pseudonym is (the
page and the API sign an idea with it), the exports leave it out.
"""

from django.utils.translation import gettext_lazy as _

from carto_concertation.core.modules import DatasetDeclaration, PublicField

INTEGER, NUMBER, ARRAY = "integer", "number", "array"

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
)
