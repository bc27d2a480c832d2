# SPDX-License-Identifier: AGPL-3.0-or-later
"""The admin site, with its login rate-limited per IP address and per account from an
address, and open to whom accounts.admin_access lets in: the house's admin, composed here
above the backbone (each app registers its own ModelAdmins).

Its sign-in page sends to the site's (allauth's, with the second factor); a session its
own form still opens is a password-only one, which accounts.middleware does not let work."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.http import HttpResponseRedirect
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop
from django_ratelimit.decorators import ratelimit

from carto_concertation.core.throttles import client_address


def _login_rate(group, request) -> str:
    return settings.LOGIN_RATE


def _account_from_address(group, request) -> str:
    """Failed sign-ins count per account from one address: a flood from one address
    locks that address out, not the account for everyone else."""
    return f"{request.POST.get('username', '').strip().lower()}|{client_address(request)}"


# Django's French puts "de" before the model's name: "Modification de utilisateur",
# "Ajout de étape". locale/fr holds ours for these strings of Django's admin ("Modification
# : utilisateur"), which Django prefers to its own; named here so that makemessages keeps
# them in the catalogue.
ADMIN_TITLES = (
    gettext_noop("Add %s"),
    gettext_noop("Change %s"),
    gettext_noop("View %s"),
    gettext_noop("Added {name} “{object}”."),
    gettext_noop("Changed {fields}."),
    gettext_noop("Changed {fields} for {name} “{object}”."),
    gettext_noop("Deleted {name} “{object}”."),
    gettext_noop("%(app)s administration"),
)


class CartoAdminSite(admin.AdminSite):
    site_header = _("carto-concertation administration")
    site_title = _("carto-concertation")

    # This module is loaded with the app registry, before the models: what reads users
    # and roles is imported when first asked for.
    @property
    def login_form(self):
        from carto_concertation.accounts.admin_access import AdminLoginForm

        return AdminLoginForm

    def has_permission(self, request) -> bool:
        from carto_concertation.accounts.admin_access import may_use_the_admin

        return may_use_the_admin(request.user)

    def get_urls(self):
        from carto_concertation.accounts.views import register_download, register_page

        from .journal import journal_view

        journal = self.admin_view(lambda request: journal_view(self, request))
        return [
            path("journal/", journal, name="journal"),
            # The record of processing (registre des traitements), for administrators.
            path("registre/", self.admin_view(register_page), name="registre"),
            path("registre/csv/", self.admin_view(register_download), name="registre_csv"),
            *super().get_urls(),
        ]

    def index(self, request, extra_context=None):
        """The dashboard, with the audit journal's and the record of processing's links
        for administrators."""
        from carto_concertation.accounts.selectors import user_is_administrator

        administrator = user_is_administrator(user=request.user)
        context = {"audit_journal": administrator, "register_link": administrator}
        return super().index(request, {**context, **(extra_context or {})})

    @method_decorator(ratelimit(key="ip", rate=_login_rate, method="POST", block=True))
    @method_decorator(
        ratelimit(key=_account_from_address, rate=_login_rate, method="POST", block=True)
    )
    def login(self, request, extra_context=None):
        if request.method == "GET":
            going_to = request.GET.get(REDIRECT_FIELD_NAME) or reverse(
                "admin:index", current_app=self.name
            )
            query = urlencode({REDIRECT_FIELD_NAME: going_to})
            return HttpResponseRedirect(f"{reverse('account_login')}?{query}")
        return super().login(request, extra_context)


class CartoAdminConfig(AdminConfig):
    default_site = "carto_concertation.site.admin_site.CartoAdminSite"
