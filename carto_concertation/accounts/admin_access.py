# SPDX-License-Identifier: AGPL-3.0-or-later
"""Who may sign in to the admin site (site.admin_site.CartoAdminSite)."""

from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError

from .models import Role
from .selectors import territories_for_role


def may_use_the_admin(user) -> bool:
    """Staff, and the planners of a territory: they import its PLUi from the admin, and
    each ModelAdmin shows them only what their role allows (not the users, not the other
    territories' documents)."""
    return user.is_active and (
        user.is_staff or territories_for_role(user=user, role=Role.PLANNER).exists()
    )


class AdminLoginForm(AdminAuthenticationForm):
    def confirm_login_allowed(self, user) -> None:
        AuthenticationForm.confirm_login_allowed(self, user)  # active accounts only
        if not may_use_the_admin(user):
            raise ValidationError(
                self.error_messages["invalid_login"],
                code="invalid_login",
                params={"username": self.username_field.verbose_name},
            )
