# SPDX-License-Identifier: AGPL-3.0-or-later
"""The map workshops module's manifest (core.modules): what it brings to the house."""

from django.utils.translation import gettext_lazy as _

from carto_concertation.core.modules import ModuleManifest

from .account import account_panel
from .audit import AUDIT_ACTIONS
from .permissions import PERMISSIONS
from .personal_data import workshops_section
from .processing import PROCESSING

WORKSHOPS = ModuleManifest(
    name="workshops",
    label=_("Map workshops"),
    app_label="workshops",
    permissions=PERMISSIONS,
    # Its captures are ideas (WorkshopCapture.contribution): the ideas' services make them.
    requires=("ideas",),
    urls="carto_concertation.workshops.urls",
    personal_data=(workshops_section,),
    personal_data_description=_(
        "if you are a relay, the workshops you planned and the ideas you typed in"
    ),
    processing=PROCESSING,
    # Nothing to do on account deletion: a workshop and a capture keep their row, their
    # created_by / captured_by become NULL (SET_NULL).
    on_account_deletion=(),
    account_page=(account_panel,),
    audit_actions=AUDIT_ACTIONS,
)
