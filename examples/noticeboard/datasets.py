# SPDX-License-Identifier: AGPL-3.0-or-later
"""The notice board's open dataset: every property of a notice that may be published."""

from django.utils.translation import gettext_lazy as _

from carto_concertation.core.modules import DatasetDeclaration, PublicField

NOTICES = DatasetDeclaration(
    name="notices",
    title=_("Notices"),
    description=_("Short notices pinned on the map of a participatory space."),
    geometry_type="Point",
    fields=(
        PublicField("id", _("number"), "integer"),
        PublicField("text", _("text")),
        PublicField("created", _("day it was pinned"), "string", "date"),
    ),
)
