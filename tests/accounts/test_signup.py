# SPDX-License-Identifier: AGPL-3.0-or-later
"""Sign-up through the real pages: pseudonym, consent, e-mail verification, sign-in."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.utils import timezone

from carto_concertation.accounts import services
from carto_concertation.accounts.forms import SignupForm
from carto_concertation.accounts.models import ConsentRecord, User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
SIGNUP = "/accounts/signup/"
LOGIN = "/accounts/login/"
PASSWORD = "un chemin creux sous les tilleuls"
PASSWORD_OF_FACTORY = "correct horse battery"


def form(**changes) -> dict:
    data = {
        "email": "Camille@Example.org",
        "pseudonym": "Camille des Aix",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "consent": "on",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def signed_in(client) -> bool:
    return client.get("/api/v1/me/").status_code == 200


def test_sign_up_verify_then_sign_in(client, mailoutbox, settings):
    page = client.get(SIGNUP)
    assert page.status_code == 200
    html = page.content.decode()
    for name in ("email", "pseudonym", "password1", "password2", "consent"):
        assert f'name="{name}"' in html
    assert '<label for="id_pseudonym">' in html
    assert "/accounts/privacy/" in html

    before = timezone.now()
    response = client.post(SIGNUP, form())
    assert response.status_code == 302
    assert response.url == "/accounts/confirm-email/"
    user = User.objects.get()
    assert (user.email, user.pseudonym) == ("camille@example.org", "Camille des Aix")
    consent = ConsentRecord.objects.get(user=user)
    assert consent.version == settings.CONSENT_VERSION
    assert before <= consent.accepted_at <= timezone.now()
    assert not EmailAddress.objects.get(user=user).verified
    assert not signed_in(client), "no session before the address is verified"

    # Signing in before verifying sends the link again but opens no session.
    client.post(LOGIN, {"login": "camille@example.org", "password": PASSWORD})
    assert not signed_in(client)

    assert mailoutbox[0].to == ["camille@example.org"]
    link = re.search(r"https?://testserver(/accounts/confirm-email/[^/\s]+/)", mailoutbox[0].body)
    assert link, mailoutbox[0].body
    assert client.get(link[1]).status_code == 200
    assert client.post(link[1]).status_code == 302
    assert EmailAddress.objects.get(user=user).verified

    response = client.post(LOGIN, {"login": "camille@example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert response.url == "/accounts/"
    assert client.get("/api/v1/me/").json()["pseudonym"] == "Camille des Aix"
    home = client.get("/accounts/")
    assert "Camille des Aix" in home.content.decode()
    assert settings.CONSENT_VERSION in home.content.decode()


def test_the_pages_are_french_by_default(client):
    french = client.get(SIGNUP, HTTP_ACCEPT_LANGUAGE="")
    assert french["Content-Language"] == "fr"
    assert "Inscription" in french.content.decode()  # allauth's own French catalogue


def test_no_account_without_consent(client, mailoutbox):
    response = client.post(SIGNUP, form(consent=None))
    assert response.status_code == 400
    assert response.context["form"].errors["consent"] == [
        "Accept the participation charter and the privacy notice to create an account."
    ]
    assert not User.objects.exists()
    assert not ConsentRecord.objects.exists()
    assert mailoutbox == []


@pytest.mark.parametrize("taken", ["CAMILLE des aix", "camille des aix", " Camille  des Aix "])
def test_a_pseudonym_is_unique_whatever_the_case(client, mailoutbox, taken):
    UserFactory(pseudonym="Camille des Aix")
    response = client.post(SIGNUP, form(email="autre@example.org", pseudonym=taken))
    assert response.status_code == 400
    assert response.context["form"].errors["pseudonym"] == ["This pseudonym is already taken."]
    assert User.objects.count() == 1
    assert mailoutbox == []


@pytest.mark.parametrize(
    ("pseudonym", "message"),
    [
        ("Jo", "at least 3 characters"),
        ("x" * 41, "at most 40 characters"),
        ("camille@example.org", "must not contain an e-mail address"),
        ("Camille camille@example.org", "must not contain an e-mail address"),
        ("camille at example dot fr", "must not contain"),
        ("www.example.fr", "must not contain a web address"),
        ("<b>Camille</b>", "Use letters and digits"),
        ("Camille\u0000", "Null characters are not allowed"),
        ("Cam\u200bille", "Use letters and digits"),
        ("Camille  -  X", "Use letters and digits"),
        ("Participant anonyme", "reserved"),
    ],
)
def test_a_pseudonym_is_checked(client, pseudonym, message):
    response = client.post(SIGNUP, form(pseudonym=pseudonym))
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors["pseudonym"])
    assert not User.objects.exists()


def test_a_known_address_gets_a_mail_not_a_second_account(client, mailoutbox):
    UserFactory(email="camille@example.org", pseudonym="Camille")
    response = client.post(SIGNUP, form(email="camille@example.org"))
    # The page says the same as for a new address: nobody learns who has an account.
    assert response.status_code == 302
    assert response.url == "/accounts/confirm-email/"
    assert User.objects.count() == 1
    assert [m.to for m in mailoutbox] == [["camille@example.org"]]


def test_bad_input_is_a_field_error_never_a_500(client):
    response = client.post(SIGNUP, form(email="not an address", password2="something else"))
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert set(errors) == {"email", "password2"}


def test_sign_ups_are_rate_limited(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {"signup": "2/m/ip"}
    statuses = [
        client.post(SIGNUP, form(email=f"p{i}@example.org", pseudonym=f"Personne {i}")).status_code
        for i in range(3)
    ]
    assert statuses == [302, 302, 429]
    assert User.objects.count() == 2


def test_a_pseudonym_taken_at_the_same_instant_is_a_field_error(client, monkeypatch):
    """Two sign-ups for one pseudonym at once: both pass the form's check, the database's
    constraint stops the second, which gets the field error (not a 500, no half account)."""
    UserFactory(pseudonym="Camille des Aix")
    monkeypatch.setattr(SignupForm, "clean_pseudonym", lambda form: form.cleaned_data["pseudonym"])
    monkeypatch.setattr(services, "_pseudonym_available", lambda pseudonym, **kw: pseudonym)
    response = client.post(SIGNUP, form(email="autre@example.org", pseudonym="CAMILLE DES AIX"))
    assert response.status_code == 400
    assert response.context["form"].errors["pseudonym"] == ["This pseudonym is already taken."]
    assert not User.objects.filter(email="autre@example.org").exists()
    assert not EmailAddress.objects.filter(email="autre@example.org").exists()
    assert not ConsentRecord.objects.exists()
