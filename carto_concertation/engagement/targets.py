# SPDX-License-Identifier: AGPL-3.0-or-later
"""Which models take comments, votes, reports and moderation: those a module declares
in its manifest (``ModuleManifest.engagement_models``, "app_label.Model")."""

from django.core.exceptions import ValidationError
from django.db.models import Model
from django.utils.translation import gettext as _

from carto_concertation.core.modules import modules


def engagement_models() -> frozenset[str]:
    """The declared models, as ``app_label.modelname`` in lower case (Django's
    ``_meta.label_lower``)."""
    return frozenset(
        label.lower() for manifest in modules() for label in manifest.engagement_models
    )


def is_declared(target: Model) -> bool:
    return target._meta.label_lower in engagement_models()


def target_check(target: Model, *, field: str = "target") -> None:
    """Refuse a target whose model no module declares, naming ``field``."""
    if not is_declared(target):
        raise ValidationError(
            {
                field: _("%(model)s takes no comments, votes or reports: no module declares it.")
                % {"model": target._meta.label}
            }
        )
