# SPDX-License-Identifier: AGPL-3.0-or-later
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PluiDocumentsConfig(AppConfig):
    name = "plui_documents"
    label = "plui_documents"
    verbose_name = _("Urban planning documents (PLU/PLUi)")

    def ready(self) -> None:
        from carto_concertation.core.audit import audit_actions_register

        from . import layers  # noqa: F401  (registers the zoning layers)

        audit_actions_register({"plui.imported": _("PLU/PLUi imported")})
