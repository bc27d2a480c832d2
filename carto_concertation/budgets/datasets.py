# SPDX-License-Identifier: AGPL-3.0-or-later
"""The participatory budget's open dataset: every property of a project that may leave
the server. The tiles, the API and the exports pick theirs here; the submitter (account,
pseudonym, e-mail address) is not declared, so no public surface can publish them — an
association carrying a project is, by its name."""

from django.utils.translation import gettext_lazy as _

from carto_concertation.core.modules import DatasetDeclaration, PublicField

INTEGER, ARRAY, DATE_TIME = "integer", "array", "date-time"

PROJECTS = DatasetDeclaration(
    name="budgets",
    title=_("Participatory budget projects"),
    description=_(
        "The projects residents proposed to the participatory budget of their territory,"
        " with their place, district, cost and where they stand: proposed, admissible,"
        " put to the vote, winner, completed."
    ),
    geometry_type="Geometry",
    fields=(
        PublicField("id", _("identifier"), INTEGER),
        PublicField("edition", _("edition (its slug)")),
        PublicField("number", _("number in the edition"), INTEGER),
        PublicField("title", _("title")),
        PublicField("description", _("description")),
        PublicField("status", _("status")),
        PublicField("status_label", _("status (in words)")),
        PublicField("analysis_reason", _("reason of the decision")),
        PublicField("district", _("district")),
        PublicField("district_id", _("district (its identifier)"), INTEGER),
        PublicField("estimated_cost", _("estimated cost (euros)"), INTEGER),
        PublicField("revised_cost", _("revised cost (euros)"), INTEGER),
        PublicField("cost", _("cost counted (euros)"), INTEGER),
        PublicField("association", _("association carrying it")),
        PublicField("supporters", _("supporters"), INTEGER),
        PublicField("photos", _("photos"), ARRAY),
        PublicField("created_at", _("submitted at"), "string", DATE_TIME),
    ),
)
