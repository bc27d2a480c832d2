# SPDX-License-Identifier: AGPL-3.0-or-later
"""The residents' pages without JavaScript (the test client): the map's list twin, filing
a report (by longitude/latitude, or by commune and street), a report's page and its
privacy rules, "moi aussi", the "est-ce réparé ?" answer and the confirmation link."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from carto_concertation.signalements.models import Report, ReportFollower, ReportUpdate
from tests.factories import UserFactory
from tests.factories.concertations import ConcertationFactory, SpaceModuleFactory
from tests.factories.signalements import (
    ReportFactory,
    ReportPhotoFactory,
    ReportUpdateFactory,
    ServiceFactory,
)

from .submit_world import inside, png_upload, world_fixture  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def space(world):
    concertation = ConcertationFactory(territory=world.territory)
    SpaceModuleFactory(concertation=concertation, module="signalements")
    return concertation


def new_url(space) -> str:
    return reverse("signalements:new", args=[space.slug])


def filing(world, **fields) -> dict:
    point = inside(world.first)
    return {
        "category": world.lighting.pk,
        "longitude": f"{point.x:.6f}",
        "latitude": f"{point.y:.6f}",
        "description": "Le lampadaire  est éteint <b>depuis</b> lundi",
        "visibility": "public",
        **fields,
    }


# --- the map's list twin ----------------------------------------------------------------


def test_the_list_twin_shows_open_public_reports_of_the_space_filtered_by_get_parameters(
    client, world, space
):
    lamp = ReportFactory(category=world.lighting, description="Lampadaire rue Haute")
    hole = ReportFactory(category=world.pothole, description="Trou place du marché")
    fixed = ReportFactory(
        category=world.lighting, state=Report.State.FIXED, description="Réparé hier"
    )
    private = ReportFactory(category=world.lighting, is_public=False, description="Privé")
    unconfirmed = ReportFactory(
        category=world.lighting, state=Report.State.UNCONFIRMED, description="Pas confirmé"
    )
    hidden = ReportFactory(category=world.lighting, is_hidden=True, description="Caché")
    url = reverse("signalements:space", args=[space.slug])

    page = client.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Signaler un problème" in text
    assert lamp.description in text and hole.description in text
    for unseen in (fixed, private, unconfirmed, hidden):
        assert unseen.description not in text

    # A category (its parent takes its children) and a state, as GET parameters.
    only = client.get(url, {"categorie": world.voirie.pk}).content.decode()
    assert hole.description in only and lamp.description not in only
    # The filter chosen stays chosen, and only it.
    for other in (world.pothole, world.lighting):
        assert f'<option value="{other.pk}" selected>' not in only
    assert f'<option value="{world.voirie.pk}" selected>' in only
    closed = client.get(url, {"etat": "fixed"}).content.decode()
    assert fixed.description in closed and lamp.description not in closed
    assert client.get(url, {"etat": "unconfirmed"}).status_code == 400
    assert client.get(url, {"categorie": "x"}).status_code == 400


def test_the_list_twin_is_paginated_and_keeps_its_filters(client, world, space):
    ReportFactory.create_batch(21, category=world.lighting)
    url = reverse("signalements:space", args=[space.slug])
    first = client.get(url, {"categorie": world.lighting.pk}).content.decode()
    assert "21 signalements" in first
    assert f"categorie={world.lighting.pk}&amp;page=2" in first
    second = client.get(url, {"categorie": world.lighting.pk, "page": 2})
    assert second.status_code == 200
    assert second.content.decode().count('class="state ') == 1


def test_a_space_without_the_module_has_no_reports_page(client, world):
    concertation = ConcertationFactory(territory=world.territory)
    assert client.get(reverse("signalements:space", args=[concertation.slug])).status_code == 404
    assert client.get(new_url(concertation)).status_code == 404


# --- filing without JavaScript ---------------------------------------------------------------


def test_a_signed_in_resident_files_a_report_and_lands_on_its_page(client, world, space):
    resident = UserFactory()
    client.force_login(resident)
    step = client.get(new_url(space))
    assert step.status_code == 200
    assert "Voirie" in step.content.decode()  # the tree, parent then child

    response = client.post(new_url(space), filing(world, photos=[png_upload()]))
    report = Report.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("signalements:report", args=[report.pk])
    # Text kept exactly as typed, escaped once on the page.
    assert report.description == "Le lampadaire  est éteint <b>depuis</b> lundi"
    assert report.author == resident and report.state == Report.State.OPEN
    assert report.photos.count() == 1
    page = client.get(response["Location"]).content.decode()
    assert "&lt;b&gt;depuis&lt;/b&gt;" in page and "<b>depuis" not in page


def test_the_category_first_then_its_questions_then_the_answer_is_kept(client, world, space):
    client.force_login(UserFactory())
    step = client.get(new_url(space), {"category": world.pothole.pk}).content.decode()
    assert "Profondeur (cm) ?" in step
    assert 'name="q-profondeur"' in step
    client.post(new_url(space), filing(world, category=world.pothole.pk, **{"q-profondeur": "12"}))
    assert Report.objects.get().answers == {"profondeur": 12}


def test_a_missing_required_answer_re_shows_the_form_under_the_question(client, world, space):
    client.force_login(UserFactory())
    response = client.post(new_url(space), filing(world, category=world.pothole.pk))
    assert response.status_code == 400
    text = response.content.decode()
    assert "Profondeur (cm) ?" in text
    assert 'role="alert"' in text
    assert not Report.objects.exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"category": ""}, "category"),
        ({"category": "999999"}, "category"),
        ({"description": ""}, "description"),
        ({"longitude": "abc"}, "longitude"),
        ({"latitude": ""}, "latitude"),
        ({"longitude": "", "latitude": ""}, "commune"),
        ({"longitude": "2.0", "latitude": "48.0"}, "longitude"),  # outside the territory
        ({"visibility": "tout le monde"}, "visibility"),
    ],
)
def test_bad_input_re_shows_the_form_with_the_fields_error_and_writes_nothing(
    client, world, space, change, field
):
    client.force_login(UserFactory())
    response = client.post(new_url(space), filing(world, **change))
    assert response.status_code == 400
    assert field in response.context["form"].errors, response.context["form"].errors
    # What was typed is shown again.
    if change.get("description") != "":
        assert (
            "Le lampadaire  est éteint &lt;b&gt;depuis&lt;/b&gt; lundi" in response.content.decode()
        )
    assert not Report.objects.exists()


def test_the_services_errors_go_under_their_question_and_place(world):
    """report_submit names ``answers`` ("<code>: <why>") and ``location``: the page shows
    each under its own field, what names no field above the form."""
    from django.contrib.auth.models import AnonymousUser
    from django.core.exceptions import ValidationError

    from carto_concertation.signalements.views.common import errors_onto
    from carto_concertation.signalements.views.forms import ReportForm

    data = filing(world, category=world.pothole.pk, **{"q-profondeur": "3"})
    form = ReportForm(
        data,
        territory_id=world.territory.pk,
        categories=[world.voirie, world.pothole, world.lighting],
        category=world.pothole,
        user=AnonymousUser(),
    )
    form.is_valid()
    errors_onto(
        form,
        ValidationError(
            {
                "answers": ["profondeur: Saisissez un nombre.", "inconnue: Pas de question."],
                "location": "Hors du territoire.",
                "territory": "Inconnu.",
            }
        ),
    )
    assert form.errors["q-profondeur"] == ["Saisissez un nombre."]
    assert form.errors["longitude"] == ["Hors du territoire."]
    assert "inconnue: Pas de question." in form.non_field_errors()
    assert "Inconnu." in form.non_field_errors()


def test_a_photo_that_is_not_an_image_and_a_fourth_photo_are_refused(client, world, space):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(UserFactory())
    text = SimpleUploadedFile("photo.jpg", b"pas une image", content_type="image/jpeg")
    response = client.post(new_url(space), filing(world, photos=[text]))
    assert response.status_code == 400
    assert "photos" in response.context["form"].errors
    four = [png_upload(f"p{n}.png") for n in range(4)]
    response = client.post(new_url(space), filing(world, photos=four))
    assert response.status_code == 400
    assert "photos" in response.context["form"].errors
    assert not Report.objects.exists()


def test_by_commune_and_street_the_report_is_in_the_commune_with_the_place_in_words(
    client, world, space
):
    client.force_login(UserFactory())
    response = client.post(
        new_url(space),
        filing(
            world,
            longitude="",
            latitude="",
            commune=world.second.pk,
            place="Devant l'école, rue des Tilleuls",
        ),
    )
    assert response.status_code == 302
    report = Report.objects.get()
    assert report.commune == world.second
    assert world.second.geom.covers(report.geom)
    assert report.description.startswith("Lieu : Devant l'école, rue des Tilleuls\n\n")


def test_an_address_reporter_is_told_to_check_the_mailbox_and_confirms_by_a_post(
    client, world, space, mailoutbox, eager_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            new_url(space), filing(world, email="camille@example.org", visibility="private")
        )
    assert response.status_code == 302
    assert response["Location"] == reverse("signalements:filed", args=[space.slug])
    assert "Vérifiez votre boîte" in client.get(response["Location"]).content.decode()
    report = Report.objects.get()
    assert report.state == Report.State.UNCONFIRMED
    # Unconfirmed: not even its reporter's browser reads it but through the link.
    assert client.get(reverse("signalements:report", args=[report.pk])).status_code == 404

    link = re.search(r"https?://[^/\s]+(/signalements/confirmer/[^\s]+/)", mailoutbox[-1].body)
    page = client.get(link[1])
    assert page.status_code == 200
    report.refresh_from_db()
    assert report.state == Report.State.UNCONFIRMED  # a GET writes nothing
    confirmed = client.post(link[1])
    assert confirmed.status_code == 200  # private: said here, no public page
    assert "Votre signalement est confirmé" in confirmed.content.decode()
    report.refresh_from_db()
    assert report.state == Report.State.OPEN


def test_an_expired_or_broken_confirmation_link_says_so(client, world, settings):
    settings.SIGNALEMENTS_CONFIRMATION_MAX_AGE = -1
    from carto_concertation.signalements.services.submission import (
        report_confirmation_token,
    )

    report = ReportFactory(
        category=world.lighting, author=None, email="a@example.org", state="unconfirmed"
    )
    url = reverse("signalements:confirm", args=[report_confirmation_token(report=report)])
    response = client.post(url)
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    assert "expir" in response.content.decode()
    broken = client.post(reverse("signalements:confirm", args=["pas-un-jeton"]))
    assert broken.status_code == 400
    report.refresh_from_db()
    assert report.state == Report.State.UNCONFIRMED


def test_an_address_is_required_without_an_account(client, world, space):
    response = client.post(new_url(space), filing(world))
    assert response.status_code == 400
    assert "email" in response.context["form"].errors
    response = client.post(new_url(space), filing(world, email="pas une adresse"))
    assert "email" in response.context["form"].errors
    assert not Report.objects.exists()


def test_the_honeypot_is_hidden_from_people_and_a_robot_that_fills_it_writes_nothing(
    client, world, space
):
    page = client.get(new_url(space), {"category": world.lighting.pk}).content.decode()
    assert re.search(r'<div class="honeypot" aria-hidden="true">', page)
    assert 'tabindex="-1"' in page
    response = client.post(
        new_url(space), filing(world, email="robot@example.org", site_web="http://spam")
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("signalements:filed", args=[space.slug])
    assert not Report.objects.exists()


# --- a report's page -------------------------------------------------------------------------


def test_the_report_page_shows_the_public_history_with_the_service_never_the_agent(client, world):
    agent = UserFactory(pseudonym="Agent Dupont")
    service = ServiceFactory(territory=world.territory, name="Voirie de Bourges", members=[agent])
    report = ReportFactory(category=world.lighting, service=service, email="")
    ReportPhotoFactory(report=report)
    ReportUpdateFactory(
        report=report, author=agent, service_after=service, text="Une équipe passe jeudi."
    )
    page = client.get(reverse("signalements:report", args=[report.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Une équipe passe jeudi." in text
    assert "Voirie de Bourges" in text
    assert "Agent Dupont" not in text
    assert report.author.pseudonym not in text and report.author.email not in text
    assert "pris en compte · Voirie de Bourges" in text
    assert reverse("api:signalements-photo", args=[report.photos.get().pk]) in text
    assert f"/signalements/{report.pk}/" in text  # the permalink


def test_private_reports_for_the_reporter_and_the_reports_service_only(client, world):
    agent, neighbour = UserFactory(), UserFactory()
    service = ServiceFactory(territory=world.territory, members=[agent])
    ServiceFactory(territory=world.territory, members=[neighbour])  # another service here
    report = ReportFactory(category=world.lighting, is_public=False, service=service)
    url = reverse("signalements:report", args=[report.pk])
    assert client.get(url).status_code == 404
    for nobody in (UserFactory(), neighbour):
        client.force_login(nobody)
        assert client.get(url).status_code == 404
    client.force_login(report.author)
    assert client.get(url).status_code == 200
    client.force_login(agent)
    assert client.get(url).status_code == 200


def test_hidden_and_unconfirmed_reports_are_a_404_but_for_their_service(client, world):
    agent = UserFactory()
    service = ServiceFactory(territory=world.territory, members=[agent])
    hidden = ReportFactory(category=world.lighting, is_hidden=True, service=service)
    unconfirmed = ReportFactory(
        category=world.lighting, state=Report.State.UNCONFIRMED, service=service
    )
    for report in (hidden, unconfirmed):
        url = reverse("signalements:report", args=[report.pk])
        assert client.get(url).status_code == 404
        client.force_login(report.author)
        assert client.get(url).status_code == 404
        client.force_login(agent)
        page = client.get(url)
        assert page.status_code == 200
        client.logout()
    client.force_login(agent)
    assert (
        "expéditeur banni"
        in client.get(reverse("signalements:report", args=[hidden.pk])).content.decode()
    )
    # An agent of another territory is nobody here.
    stranger = UserFactory()
    ServiceFactory(members=[stranger])
    client.force_login(stranger)
    assert client.get(reverse("signalements:report", args=[hidden.pk])).status_code == 404


def test_me_too_and_stop_following_from_the_page(client, world):
    report = ReportFactory(category=world.lighting)
    resident = UserFactory()
    client.force_login(resident)
    url = reverse("signalements:follow", args=[report.pk])
    assert client.get(url).status_code == 405
    response = client.post(url)
    assert response.status_code == 302
    assert ReportFollower.objects.filter(report=report, user=resident).exists()
    page = client.get(reverse("signalements:report", args=[report.pk])).content.decode()
    assert "1 personne suit ce signalement" in page and "Ne plus suivre" in page
    client.post(url, {"action": "unfollow"})
    assert not ReportFollower.objects.filter(report=report, user=resident).exists()


def test_me_too_without_an_account_needs_a_valid_address(client, world):
    report = ReportFactory(category=world.lighting)
    url = reverse("signalements:follow", args=[report.pk])
    response = client.post(url, {"email": "pas une adresse"})
    assert response.status_code == 400
    assert 'id="follow-email-error"' in response.content.decode()
    assert not ReportFollower.objects.exists()


def test_the_reporter_answers_is_it_fixed_and_a_no_reopens_it(client, world):
    report = ReportFactory(
        category=world.lighting,
        state=Report.State.FIXED,
        fixed_at=timezone.now() - timedelta(weeks=4),
        fixed_check_sent_at=timezone.now(),
    )
    url = reverse("signalements:report", args=[report.pk])
    assert "Est-ce réparé ?" not in client.get(url).content.decode()  # others are not asked
    client.force_login(report.author)
    assert "Est-ce réparé ?" in client.get(url).content.decode()
    fixed_url = reverse("signalements:fixed", args=[report.pk])
    bad = client.post(fixed_url, {"fixed": "peut-être"})
    assert bad.status_code == 400
    report.refresh_from_db()
    assert report.state == Report.State.FIXED
    response = client.post(fixed_url, {"fixed": "non", "text": "Toujours éteint le soir"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.state in Report.OPEN_STATES
    assert report.updates.filter(kind=ReportUpdate.Kind.REOPENED).exists()


def test_the_page_counts_against_the_filing_limit_of_the_account(client, world, space):
    """The API's limit per account (20 an hour) holds on the page's form too: the 21st
    filing is a 429, and nothing is written."""
    client.force_login(UserFactory())
    outside = filing(world, longitude="2.0", latitude="48.0")  # checked, then refused
    answers = [client.post(new_url(space), outside).status_code for _ in range(21)]
    assert answers == [400] * 20 + [429]
    assert client.post(new_url(space), filing(world)).status_code == 429
    assert not Report.objects.exists()


def test_a_confirmed_public_report_leads_to_its_page_a_banned_senders_does_not(client, world):
    from carto_concertation.signalements.services.submission import (
        report_confirmation_token,
    )

    public = ReportFactory(category=world.lighting, author=None, email="a@example.org")
    public.state = Report.State.UNCONFIRMED
    public.save()
    page = client.post(
        reverse("signalements:confirm", args=[report_confirmation_token(report=public)])
    )
    assert page.status_code == 200
    assert reverse("signalements:report", args=[public.pk]) in page.content.decode()
    hidden = ReportFactory(
        category=world.lighting, author=None, email="b@example.org", is_hidden=True
    )
    hidden.state = Report.State.UNCONFIRMED
    hidden.save()
    page = client.post(
        reverse("signalements:confirm", args=[report_confirmation_token(report=hidden)])
    )
    text = page.content.decode()
    assert page.status_code == 200 and "confirmé et publié" in text
    assert reverse("signalements:report", args=[hidden.pk]) not in text


@pytest.mark.parametrize(
    "params",
    [
        {"page": "abc"},
        {"page": "99999999999999999999"},
        {"categorie": "99999999999999999999999"},
        {"categorie": "\x00"},
        {"etat": ["open", "x\x00"]},
    ],
)
def test_odd_filters_are_a_4xx_or_a_page_never_a_500(client, world, space, params):
    response = client.get(reverse("signalements:space", args=[space.slug]), params)
    assert response.status_code in (200, 400)


@pytest.mark.parametrize(
    "change",
    [
        {"longitude": "nan", "latitude": "nan"},
        {"longitude": "inf", "latitude": "1e308"},
        {"category": "99999999999999999999", "longitude": "", "commune": "9999999999999999999"},
        {"description": "Trou\x00"},
    ],
)
def test_odd_filings_are_a_400_naming_a_field_and_write_nothing(client, world, space, change):
    client.force_login(UserFactory())
    response = client.post(new_url(space), filing(world, **change))
    assert response.status_code == 400
    assert response.context["form"].errors
    assert not Report.objects.exists()
