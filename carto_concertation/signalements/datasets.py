# SPDX-License-Identifier: AGPL-3.0-or-later
"""The signalements' open dataset: every property of a report that may leave the server.

The tiles (tiles.py), the API, Open311 and the exports pick their properties from here;
a name not declared below is refused when the module loads. The reporter (account or
e-mail address), the acting agents, the Open311 application and the token are not here,
so no public surface can publish them.
"""

from django.utils.translation import gettext_lazy as _

from carto_concertation.core.modules import DatasetDeclaration, PublicField

INTEGER, ARRAY, DATE_TIME = "integer", "array", "date-time"

REPORTS = DatasetDeclaration(
    name="signalements",
    title=_("Reports about public space"),
    description=_(
        "Problems residents reported on the public space (a pothole, a broken street light,"
        " an illegal dump…), with their category, their place, the service in charge and"
        " where they stand."
    ),
    geometry_type="Point",
    fields=(
        PublicField("id", _("number"), INTEGER),
        PublicField("category", _("category (its code)")),
        PublicField("category_name", _("category")),
        PublicField("parent_category", _("parent category (its code)")),
        PublicField("state", _("state")),
        PublicField("state_reason", _("reason of the state")),
        PublicField("duplicate_of", _("duplicate of (its number)"), INTEGER),
        PublicField("commune_insee", _("commune (INSEE code)")),
        PublicField("commune_name", _("commune")),
        PublicField("address", _("address")),
        PublicField("description", _("description")),
        PublicField("photos", _("photos"), ARRAY),
        PublicField("service", _("service in charge")),
        PublicField("followers", _("people following it"), INTEGER),
        PublicField("created_at", _("filed at"), "string", DATE_TIME),
        PublicField("created", _("day it was filed"), "string", "date"),
        PublicField("updated_at", _("updated at"), "string", DATE_TIME),
        PublicField("acknowledged_at", _("taken into account at"), "string", DATE_TIME),
        PublicField("fixed_at", _("fixed at"), "string", DATE_TIME),
    ),
)
