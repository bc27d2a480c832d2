# SPDX-License-Identifier: AGPL-3.0-or-later
"""What accounts record in the staff audit journal (core.audit): staff sign-ins, roles
given and withdrawn, exports of a person's data."""

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _

from carto_concertation.core.audit import audit_actions_register, audit_record

from .models import User

audit_actions_register(
    {
        "accounts.staff_signed_in": _("Staff sign-in"),
        "accounts.role_granted": _("Role given"),
        "accounts.role_withdrawn": _("Role withdrawn"),
        "accounts.staff_status_changed": _("Staff or superuser status changed"),
        "accounts.data_exported": _("Personal data exported"),
        "accounts.second_factor_removed": _("Authenticator app removed"),
    }
)

# What a person does as a resident: their address leaves the journal with their account.
RESIDENT_ACTIONS = ("accounts.data_exported",)


def is_staff_member(user: User) -> bool:
    """Staff, superusers and anyone holding a role beyond resident."""
    return user.is_staff or user.is_superuser or user.role_assignments.exists()


@receiver(user_logged_in, dispatch_uid="accounts.audit.staff_signed_in")
def staff_signed_in(sender, request, user, **kwargs) -> None:
    """Every sign-in — allauth's pages and the admin's both end in Django's login()."""
    if is_staff_member(user):
        audit_record("accounts.staff_signed_in", user, actor=user)
