# SPDX-License-Identifier: AGPL-3.0-or-later
"""Two-factor sign-in (allauth.mfa, accounts.middleware), through the pages: staff set up
an authenticator app before any work and sign in with its code after, a wrong code is
refused, a recovery code works once, the admin's own sign-in form is no way around it,
and residents are not asked. The codes are computed here, as the app on a phone does
(RFC 6238), from the secret the page gives as text."""

import re

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP
from django.conf import settings
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.contrib.messages.middleware import MessageMiddleware
from django.contrib.sessions.middleware import SessionMiddleware
from django.db import connection
from django.http import HttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from carto_concertation.accounts.middleware import StaffSessionMiddleware
from carto_concertation.accounts.models import Role
from carto_concertation.accounts.selectors import user_is_administrator
from carto_concertation.core.models import AuditEntry
from tests.accounts.authenticator_app import code_of
from tests.factories import RoleAssignmentFactory, UserFactory
from tests.factories.accounts import PASSWORD

pytestmark = pytest.mark.django_db

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def person(role: Role | None = None, **fields):
    """An account that can sign in (its e-mail address verified), with ``role``."""
    user = UserFactory(**fields)
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
    if role == Role.ADMINISTRATOR:
        RoleAssignmentFactory(user=user, role=role, territory=None)
    elif role is not None:
        RoleAssignmentFactory(user=user, role=role)
    return user


def with_app(user, secret: str = SECRET) -> list[str]:
    """An authenticator app already set up for ``user``; its recovery codes."""
    TOTP.activate(user, secret)
    return RecoveryCodes.activate(user).generate_codes()


def sign_in(client, user):
    return client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})


def reauthenticate(client) -> None:
    """The password typed again, as allauth asks before a change of the sign-in."""
    assert client.post("/accounts/reauthenticate/", {"password": PASSWORD}).status_code == 302


def signed_in_as(client):
    return client.get("/api/v1/me/").json().get("pseudonym")


def test_a_planner_sets_up_the_app_then_signs_in_with_its_code(client):
    planner = person(Role.PLANNER)
    assert sign_in(client, planner)["Location"] == "/accounts/"
    # Nothing but the account pages until the app is set up.
    held = client.get("/")
    assert held.status_code == 302 and held["Location"] == "/accounts/2fa/totp/activate/"
    # allauth asks the password again before a change of the sign-in (recent sign-ins
    # included), then goes on to the page.
    asked = client.get("/accounts/2fa/totp/activate/")
    assert asked["Location"].startswith("/accounts/reauthenticate/")
    page = client.post(asked["Location"], {"password": PASSWORD}, follow=True)
    html = page.content.decode()
    assert "Your role requires two-factor authentication" in html
    assert '<svg role="img"' in html and "data:image" not in html
    secret = re.search(r'<code id="totp-secret">(\w+)</code>', html).group(1)

    wrong = client.post("/accounts/2fa/totp/activate/", {"code": "000000"})
    assert wrong.status_code == 400 and "Incorrect code" in wrong.content.decode()
    assert not Authenticator.objects.filter(user=planner).exists()
    done = client.post("/accounts/2fa/totp/activate/", {"code": code_of(secret)})
    assert done.status_code == 302
    assert client.get("/").status_code == 200  # setting the app up proved it

    client.post("/accounts/logout/")
    asked = sign_in(client, planner)
    assert asked["Location"] == "/accounts/2fa/authenticate/"
    assert signed_in_as(client) is None  # not before the code
    refused = client.post("/accounts/2fa/authenticate/", {"code": "123456"})
    assert refused.status_code == 400 and signed_in_as(client) is None
    # The code of the next period (a phone's clock ahead): the last one was used already.
    entered = client.post("/accounts/2fa/authenticate/", {"code": code_of(secret, 1)})
    assert entered.status_code == 302
    assert signed_in_as(client) == planner.pseudonym
    assert client.get("/").status_code == 200


def test_a_recovery_code_signs_in_once(client, other_client):
    moderator = person(Role.MODERATOR)
    codes = with_app(moderator)
    sign_in(client, moderator)
    assert client.post("/accounts/2fa/authenticate/", {"code": codes[0]}).status_code == 302
    assert signed_in_as(client) == moderator.pseudonym

    sign_in(other_client, moderator)
    again = other_client.post("/accounts/2fa/authenticate/", {"code": codes[0]})
    assert again.status_code == 400 and signed_in_as(other_client) is None
    assert other_client.post("/accounts/2fa/authenticate/", {"code": codes[1]}).status_code == 302


def test_staff_without_an_app_reach_only_their_account_pages(client):
    staff = person(is_staff=True)
    sign_in(client, staff)
    assert client.get("/donnees/")["Location"] == "/accounts/2fa/totp/activate/"
    assert client.get("/accounts/").status_code == 200
    written = client.post("/api/v1/territories/", {"name": "x"})
    assert written.status_code == 403
    assert "two-factor authentication" in written.json()["detail"]
    assert client.post("/i18n/setlang/", {"language": "fr"}).status_code == 403
    assert client.post("/accounts/logout/").status_code == 302
    assert signed_in_as(client) is None


def test_a_resident_is_not_asked_and_may_set_the_app_up(client):
    resident = person()
    assert sign_in(client, resident)["Location"] == "/accounts/"
    assert client.get("/donnees/").status_code == 200
    assert "/accounts/2fa/" in client.get("/accounts/").content.decode()
    with_app(resident)
    client.post("/accounts/logout/")
    assert sign_in(client, resident)["Location"] == "/accounts/2fa/authenticate/"


def test_the_admin_sign_in_form_is_no_way_around_the_code(client, other_client):
    admin = person(Role.ADMINISTRATOR, is_staff=True, is_superuser=True)
    with_app(admin)
    assert client.get("/admin/login/?next=/admin/")["Location"] == (
        "/accounts/login/?next=%2Fadmin%2F"
    )
    posted = client.post("/admin/login/", {"username": admin.email, "password": PASSWORD})
    assert posted.status_code == 302
    # The password-only session ends at its first request, which goes to the real sign-in.
    ended = client.get("/admin/")
    assert ended.status_code == 302 and ended["Location"].startswith("/accounts/login/")
    assert signed_in_as(client) is None

    # Without an app, the admin's form leads to setting one up, not to the admin.
    newcomer = person(Role.ADMINISTRATOR, is_staff=True, is_superuser=True)
    other_client.post("/admin/login/", {"username": newcomer.email, "password": PASSWORD})
    assert other_client.get("/admin/")["Location"] == "/accounts/2fa/totp/activate/"


def test_staff_cannot_turn_their_app_off_but_a_resident_can(client, other_client):
    planner = person(Role.PLANNER)
    with_app(planner)
    client.force_login(planner)
    reauthenticate(client)
    refused = client.post("/accounts/2fa/totp/deactivate/")
    assert "Your role requires two-factor authentication" in refused.content.decode()
    assert Authenticator.objects.filter(user=planner, type=Authenticator.Type.TOTP).exists()

    resident = person()
    with_app(resident)
    other_client.force_login(resident)
    reauthenticate(other_client)
    assert other_client.post("/accounts/2fa/totp/deactivate/").status_code == 302
    assert not Authenticator.objects.filter(user=resident).exists()


def test_an_administrator_removes_a_lost_app_from_a_page(client, other_client):
    admin = person(Role.ADMINISTRATOR)
    with_app(admin)
    planner = person(Role.PLANNER, pseudonym="Urbaniste perdue")
    with_app(planner)
    client.force_login(admin)
    assert "/administration/second-facteur/" in client.get("/accounts/").content.decode()
    found = client.get("/administration/second-facteur/", {"q": "perdue"}).content.decode()
    assert "Urbaniste perdue" in found and f'value="{planner.pk}"' in found

    own = client.post("/administration/second-facteur/", {"user": admin.pk})
    assert own.status_code == 400 and "account page" in own.content.decode()
    nobody = client.post("/administration/second-facteur/", {"user": "abc"})
    assert nobody.status_code == 400 and "Account" in nobody.content.decode()
    assert client.post("/administration/second-facteur/", {"user": planner.pk}).status_code == 302
    assert not Authenticator.objects.filter(user=planner).exists()
    assert Authenticator.objects.filter(user=admin).exists()
    # In the staff audit journal: who removed whose app, once.
    [entry] = AuditEntry.objects.filter(action="accounts.second_factor_removed")
    assert (entry.actor, entry.target_id) == (admin, str(planner.pk))

    # The planner signs in with the password alone, and sets up a new app at once.
    sign_in(other_client, planner)
    assert other_client.get("/")["Location"] == "/accounts/2fa/totp/activate/"
    # The page is the administrators' only.
    assert other_client.get("/administration/second-facteur/").status_code in (302, 403)
    moderator = person(Role.MODERATOR)
    client.force_login(moderator)
    assert client.get("/administration/second-facteur/").status_code == 403


def test_the_middleware_reads_nothing_without_a_session_nor_for_the_map(client):
    def answer(request):
        return HttpResponse()

    middleware = StaffSessionMiddleware(answer)
    factory = RequestFactory()
    anonymous = factory.get("/concertations/un-espace/")
    with CaptureQueriesContext(connection) as queries:
        middleware(anonymous)
    assert len(queries) == 0
    tile = factory.get("/tiles/contributions-un-espace/12/2100/1400.mvt")
    tile.COOKIES[settings.SESSION_COOKIE_NAME] = "anything"
    with CaptureQueriesContext(connection) as queries:
        middleware(tile)
    assert len(queries) == 0


def test_the_roles_are_read_once_per_request(client):
    admin = person(Role.ADMINISTRATOR)
    seen = {}

    def view(request):
        with CaptureQueriesContext(connection) as queries:
            seen["administrator"] = user_is_administrator(user=request.user)
        seen["queries"] = len(queries)
        return HttpResponse()

    client.force_login(admin)
    request = RequestFactory().get("/")
    request.COOKIES[settings.SESSION_COOKIE_NAME] = client.session.session_key
    chain = SessionMiddleware(
        AuthenticationMiddleware(MessageMiddleware(StaffSessionMiddleware(view)))
    )
    chain(request)
    assert seen == {"administrator": True, "queries": 0}


def test_the_recovery_codes_pages_without_codes_say_what_to_do_with_the_link(client):
    """allauth answered a bare 404 there: an account without an app (staff sent there
    before setting it up, a resident), or an app whose codes are gone."""
    planner = person(Role.PLANNER)
    sign_in(client, planner)
    for path in ("/accounts/2fa/recovery-codes/", "/accounts/2fa/recovery-codes/download/"):
        page = client.get(path, HTTP_ACCEPT_LANGUAGE="fr")
        assert page.status_code == 200, path
        text = page.content.decode()
        assert "Pas encore de codes de récupération" in text
        assert "configurez d’abord l’application" in text
        assert 'href="/accounts/2fa/totp/activate/" id="recovery-codes-next"' in text

    client.logout()
    staff = person(is_staff=True)
    with_app(staff)
    Authenticator.objects.filter(user=staff, type=Authenticator.Type.RECOVERY_CODES).delete()
    sign_in(client, staff)
    assert client.post("/accounts/2fa/authenticate/", {"code": code_of(SECRET)}).status_code == 302
    page = client.get("/accounts/2fa/recovery-codes/", HTTP_ACCEPT_LANGUAGE="fr")
    page = page.content.decode()
    assert "Votre compte n’a plus de codes de récupération" in page
    assert 'href="/accounts/2fa/recovery-codes/generate/" id="recovery-codes-next"' in page

    # With codes, allauth's page as before: the password asked again, then the codes.
    RecoveryCodes.activate(staff)
    asked = client.get("/accounts/2fa/recovery-codes/")
    assert asked["Location"].startswith("/accounts/reauthenticate/")
    reauthenticate(client)
    assert client.get("/accounts/2fa/recovery-codes/").status_code == 200
