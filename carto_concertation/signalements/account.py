# SPDX-License-Identifier: AGPL-3.0-or-later
"""The signalements' part of the account page, of account deletion and of the home page
and the space's page (declared in the manifest)."""

from collections.abc import Mapping
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _

from carto_concertation.accounts.panels import AccountLink, AccountPanel
from carto_concertation.core.modules import space_public, space_slugs_in_territory
from carto_concertation.signalements import MODULE
from carto_concertation.territories.models import Territory

from .links import desk_url, space_url
from .models import Report, ReportFollower
from .personal_data import reports_filed_by


def account_panel(user) -> AccountPanel:
    """My reports (never a hidden one: its page is the services' alone), and, for an
    agent, the services' dashboard."""
    links = []
    if user.has_perm("signalements.work"):
        links.append(AccountLink(_("Reports to handle: the services' dashboard"), desk_url()))
    return AccountPanel(
        links=links,
        template="signalements/account_reports.html",
        items=reports_filed_by(user).filter(is_hidden=False).order_by("-created_at", "-pk"),
    )


def reporter_forget(user) -> None:
    """Before the account goes (its reports stay, signed by nobody: ``author`` is
    SET_NULL, and what it follows goes with it): the addresses of theirs the reports and
    follows still hold are erased too, so nothing names them any more."""
    mine = reports_filed_by(user).values("pk")
    Report.objects.filter(pk__in=mine).exclude(email="").update(email="")
    addresses = user.emailaddress_set.filter(verified=True).values("email")
    ReportFollower.objects.filter(user__isnull=True, email__in=addresses).delete()


def space_entry(space) -> tuple[str, str]:
    return _("Report a problem in the public space"), space_url(space.slug)


def home_context(request: HttpRequest) -> Mapping[str, Any]:
    """The public spaces holding the module (and having it on) of the territories that
    have categories to report in."""
    spaces = []
    for territory_id in (
        Territory.objects.filter(report_categories__active=True)
        .distinct()
        .order_by("name")
        .values_list("pk", flat=True)
    ):
        for slug in space_slugs_in_territory(territory_id):
            space = space_public(slug)
            if space is not None and MODULE in space.modules:
                spaces.append({"title": space.title, "url": space_url(space.slug)})
    return {"report_spaces": spaces}
