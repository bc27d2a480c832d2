# SPDX-License-Identifier: AGPL-3.0-or-later
"""Filing a report (services/submission.py): the checks, each naming its field and
writing nothing; routing by the compétences; the e-mail confirmation and its expiry; the
photos without EXIF; the address from our own data; a banned sender's report hidden."""

import io
import time

import pytest
from django.contrib.gis.geos import LineString
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import ExifTags, Image

from carto_concertation.engagement.models import Ban
from carto_concertation.signalements import selectors
from carto_concertation.signalements.models import (
    ApiClient,
    CategoryQuestion,
    Report,
    ReportPhoto,
    ReportUpdate,
)
from carto_concertation.signalements.services.mail import SERVICE_PAGES, report_url
from carto_concertation.signalements.services.submission import (
    CONFIRMATION_SALT,
    report_confirm,
    report_confirmation_token,
    report_submit,
)
from layers.models import ContextFeature, ContextLayer, LayerStatus
from tests.factories import TerritoryFactory, UserFactory
from tests.factories.signalements import (
    ApiClientFactory,
    BannedSenderFactory,
    CategoryFactory,
    CategoryQuestionFactory,
    RouteFactory,
    ServiceFactory,
)

from .submit_world import (
    inside,
    link_token,
    png_upload,
    world_fixture,  # noqa: F401 (the fixture "world")
)

pytestmark = pytest.mark.django_db


def file(world, **overrides) -> Report:
    values = {
        "territory": world.territory,
        "category": world.lighting,
        "point": inside(world.first),
        "description": "Le lampadaire devant l'école est éteint.",
        "author": UserFactory(),
    }
    return report_submit(**(values | overrides))


def refused(world, **overrides) -> dict:
    with pytest.raises(ValidationError) as caught:
        file(world, **overrides)
    assert not Report.objects.exists()
    assert not ReportPhoto.objects.exists()
    return caught.value.message_dict


def jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (80, 60), (180, 120, 60))
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneMaker"
    exif[ExifTags.IFD.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: (46.0, 50.0, 12.5),
        ExifTags.GPS.GPSLongitudeRef: "E",
        ExifTags.GPS.GPSLongitude: (2.0, 55.0, 3.0),
    }
    output = io.BytesIO()
    image.save(output, "JPEG", exif=exif, comment=b"Jean Dupont, 12 rue des Lilas")
    return output.getvalue()


# --- Filing by an account, routed by the compétences ---------------------------------


def test_an_account_files_an_open_report_kept_as_typed(world):
    typed = "  Lampadaire <b>éteint</b>\n\n& clignote la nuit…  "
    report = file(world, description=typed)
    report.refresh_from_db()
    assert report.description == typed
    assert report.state == Report.State.OPEN
    assert report.confirmed_at is not None
    assert report.commune == world.first
    assert report.address == world.first.name
    assert report.email == ""
    [update] = report.updates.all()
    assert (update.kind, update.state_after) == (ReportUpdate.Kind.CREATED, Report.State.OPEN)


def test_a_commune_route_sends_the_report_to_the_communes_service(
    world, mailoutbox, eager_tasks, django_capture_on_commit_callbacks
):
    mairie = ServiceFactory(territory=world.territory, commune=world.first, name="Mairie")
    RouteFactory(commune=world.first, category=world.lighting, service=mairie)
    with django_capture_on_commit_callbacks(execute=True):
        report = file(world)
    assert report.service == mairie
    assert report.updates.get().service_after == mairie
    [mail] = mailoutbox
    assert mail.to == [mairie.email]
    assert report_url(report_id=report.pk, pages=SERVICE_PAGES) in mail.body
    assert "Le lampadaire devant l'école est éteint." in mail.body


def test_the_services_link_is_the_first_page_installed(settings):
    pages = ("signalements:no-such-page", "api:signalements-report")
    assert report_url(report_id=7, pages=pages) == (
        settings.SITE_URL + "/api/v1/signalements/reports/7"
    )


def test_the_same_category_goes_to_the_epci_in_another_commune(world):
    mairie = ServiceFactory(territory=world.territory, commune=world.first)
    voirie_cc = ServiceFactory(territory=world.territory, name="Voirie intercommunale")
    RouteFactory(commune=world.first, category=world.lighting, service=mairie)
    RouteFactory(commune=world.second, category=world.lighting, service=voirie_cc)
    assert file(world, point=inside(world.first)).service == mairie
    assert file(world, point=inside(world.second)).service == voirie_cc


def test_a_route_on_the_parent_category_covers_its_children(world):
    voirie_cc = ServiceFactory(territory=world.territory)
    RouteFactory(commune=world.second, category=world.voirie, service=voirie_cc)
    report = file(
        world, category=world.pothole, point=inside(world.second), answers={"profondeur": 12}
    )
    assert report.service == voirie_cc
    assert report.answers == {"profondeur": 12}


def test_a_report_no_route_places_goes_to_the_triage(world):
    ServiceFactory(territory=world.territory, commune=world.first)  # routes nothing
    assert file(world).service == world.triage


# --- Filing with an e-mail address, confirmed by a link ------------------------------


def test_an_address_alone_files_unconfirmed_and_the_link_opens_it(
    world, mailoutbox, eager_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report = file(world, author=None, email="habitante@example.org")
    assert report.state == Report.State.UNCONFIRMED
    assert report.confirmed_at is None
    assert report.email == "habitante@example.org"
    assert not selectors.reports_public().filter(pk=report.pk).exists()
    [mail] = mailoutbox
    assert mail.to == ["habitante@example.org"]
    token = link_token(mail)
    assert "sous 7 jours" in mail.body  # in French, whatever the request's language
    assert world.triage.email not in [m.to[0] for m in mailoutbox]

    with django_capture_on_commit_callbacks(execute=True):
        confirmed = report_confirm(token=token)
    assert confirmed.state == Report.State.OPEN
    assert confirmed.confirmed_at is not None
    assert selectors.reports_public().filter(pk=report.pk).exists()
    kinds = list(report.updates.values_list("kind", "state_before", "state_after"))
    assert kinds == [
        ("created", "", "unconfirmed"),
        ("confirmed", "unconfirmed", "open"),
    ]
    assert mailoutbox[-1].to == [world.triage.email]

    # A second click changes nothing.
    assert report_confirm(token=token).state == Report.State.OPEN
    assert report.updates.count() == 2


class _EightDaysAgo(signing.TimestampSigner):
    def timestamp(self) -> str:
        return signing.b62_encode(int(time.time()) - 8 * 24 * 3600)


def test_an_expired_or_forged_link_is_refused(world):
    report = file(world, author=None, email="habitante@example.org")
    old = _EightDaysAgo(salt=CONFIRMATION_SALT).sign(str(report.pk))
    with pytest.raises(ValidationError) as expired:
        report_confirm(token=old)
    assert "expired" in expired.value.message_dict["token"][0]
    forged = signing.TimestampSigner(salt="another-salt").sign(str(report.pk))
    for token in (forged, f"{report.pk}:xyz:abc", "", "\x00"):
        with pytest.raises(ValidationError) as bad:
            report_confirm(token=token)
        assert list(bad.value.message_dict) == ["token"]
    report.refresh_from_db()
    assert report.state == Report.State.UNCONFIRMED


def test_the_expiry_is_a_setting(world, settings):
    report = file(world, author=None, email="habitante@example.org")
    token = _EightDaysAgo(salt=CONFIRMATION_SALT).sign(str(report.pk))
    settings.SIGNALEMENTS_CONFIRMATION_MAX_AGE = 9 * 24 * 3600
    assert report_confirm(token=token).state == Report.State.OPEN


def test_the_e_mail_says_how_long_the_link_lasts(
    world, settings, mailoutbox, eager_tasks, django_capture_on_commit_callbacks
):
    settings.SIGNALEMENTS_CONFIRMATION_MAX_AGE = 36 * 3600
    with django_capture_on_commit_callbacks(execute=True):
        file(world, author=None, email="habitante@example.org")
    assert "sous 36 heures" in mailoutbox[0].body


def test_neither_an_account_nor_an_address_is_refused(world):
    assert list(refused(world, author=None)) == ["email"]
    assert list(refused(world, author=None, email="pas-une-adresse")) == ["email"]
    inactive = UserFactory(is_active=False)
    assert list(refused(world, author=inactive)) == ["email"]


def test_an_open311_application_is_trusted_with_an_account_or_an_address(world):
    client = ApiClientFactory(territory=world.territory)
    report = file(
        world,
        author=None,
        email="usager@example.org",
        api_client=client,
        source=Report.Source.OPEN311,
    )
    assert report.state == Report.State.OPEN
    assert (report.api_client, report.source) == (client, "open311")
    stranger = ApiClientFactory()  # another territory's application
    assert file(world, author=None, email="u@example.org", api_client=stranger).state == (
        Report.State.UNCONFIRMED
    )
    ApiClient.objects.filter(pk=client.pk).update(active=False)
    client.refresh_from_db()
    later = file(world, author=None, email="usager@example.org", api_client=client)
    assert later.state == Report.State.UNCONFIRMED


# --- Bad input: the field named, nothing written -------------------------------------


def test_a_point_outside_the_territory_is_refused(world):
    elsewhere = TerritoryFactory(communes=1)
    outside = inside(elsewhere.communes.get())
    assert list(refused(world, point=outside)) == ["location"]
    assert list(refused(world, point=None)) == ["location"]


def test_a_category_not_to_file_on_is_refused(world):
    other = CategoryFactory()  # another territory's
    inactive = CategoryFactory(territory=world.territory, active=False)
    for category in (other, inactive, world.voirie, None):
        assert list(refused(world, category=category)) == ["category"], category
    # A parent whose children are all inactive is a leaf again.
    world.pothole.active = False
    world.pothole.save()
    assert file(world, category=world.voirie).category == world.voirie


@pytest.mark.parametrize(
    ("kind", "choices", "value", "required"),
    [
        ("number", [], None, True),
        ("number", [], "", True),
        ("number", [], "douze", False),
        ("number", [], True, False),
        ("number", [], "NaN", False),
        ("choice", [{"key": "grand", "name": "Grand"}], "énorme", False),
        ("choice", [{"key": "grand", "name": "Grand"}], ["grand"], False),
        ("text", [], "x" * 501, False),
        ("text", [], 12, False),
    ],
)
def test_a_bad_answer_names_its_question(world, kind, choices, value, required):
    CategoryQuestionFactory(
        category=world.lighting, code="q", kind=kind, choices=choices, required=required
    )
    errors = refused(world, answers={} if value is None else {"q": value})
    assert list(errors) == ["answers"]
    assert errors["answers"][0].startswith("q: ")


def test_answers_are_kept_by_code_and_typed(world):
    CategoryQuestionFactory(
        category=world.lighting,
        code="taille",
        kind=CategoryQuestion.Kind.CHOICE,
        choices=[{"key": "grand", "name": "Grand"}, {"key": "petit", "name": "Petit"}],
    )
    CategoryQuestionFactory(category=world.lighting, code="nombre", kind="number")
    CategoryQuestionFactory(category=world.lighting, code="note", kind="text")
    report = file(
        world,
        answers={"taille": "petit", "nombre": "3,5", "note": " tel quel ", "inconnue": "x"},
    )
    assert report.answers == {"taille": "petit", "nombre": 3.5, "note": " tel quel "}


@pytest.mark.parametrize("description", ["", "   \n", "x" * 3001, "nul\x00"])
def test_a_missing_or_overlong_description_is_refused(world, description):
    assert list(refused(world, description=description)) == ["description"]


def test_every_error_at_once(world):
    errors = refused(
        world, category=None, point=None, description="", author=None, photos=[png_upload()] * 4
    )
    assert set(errors) == {"category", "location", "description", "email", "photos"}


# --- Photos -----------------------------------------------------------------------------


def test_photos_are_reencoded_without_exif_or_gps(world):
    upload = SimpleUploadedFile("IMG_Jean.jpg", jpeg_with_gps(), content_type="image/jpeg")
    report = file(world, photos=[upload, png_upload()])
    photos = list(report.photos.all())
    assert len(photos) == 2
    for photo in photos:
        assert "Jean" not in photo.image.name
        with photo.image.open("rb") as stored:
            data = stored.read()
        image = Image.open(io.BytesIO(data))
        assert image.format == "JPEG"
        assert not image.getexif()
        assert b"Dupont" not in data and b"PhoneMaker" not in data


def test_a_bad_photo_after_good_ones_writes_nothing(world):
    before = (
        set(default_storage.listdir("reports")[1]) if default_storage.exists("reports") else set()
    )
    not_an_image = SimpleUploadedFile("photo.jpg", b"%PDF-1.4 not a photo", "image/jpeg")
    errors = refused(world, photos=[png_upload(), png_upload(), not_an_image])
    assert list(errors) == ["photos"]
    after = (
        set(default_storage.listdir("reports")[1]) if default_storage.exists("reports") else set()
    )
    assert after == before


def test_a_failing_write_leaves_no_photo_file(world, monkeypatch):
    """A write that fails after the photos are stored (here the history) deletes them."""
    before = (
        set(default_storage.listdir("reports")[1]) if default_storage.exists("reports") else set()
    )

    def broken(**kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(ReportUpdate.objects, "create", broken)
    with pytest.raises(RuntimeError):
        file(world, photos=[png_upload()])
    assert not Report.objects.exists()
    after = set(default_storage.listdir("reports")[1])
    assert after == before


def test_four_photos_are_refused(world):
    assert list(refused(world, photos=[png_upload() for _ in range(4)])) == ["photos"]


# --- The address from our own data ----------------------------------------------------


def _streets(fields: list[str]) -> ContextLayer:
    return ContextLayer.objects.create(
        name="voies",
        title="Voies",
        geometry_type="LineString",
        fields=fields,
        attribution="Commune",
        status=LayerStatus.READY,
    )


def _street_through(layer, commune, offset_m: float, properties: dict) -> None:
    centre = commune.geom.centroid
    y = centre.y + offset_m
    line = LineString((centre.x - 200, y), (centre.x + 200, y), srid=centre.srid)
    ContextFeature.objects.create(
        layer=layer, source_fid=ContextFeature.objects.count() + 1, geom=line, properties=properties
    )


def test_the_address_names_the_nearest_street_of_our_layers(world):
    layer = _streets(["nom_voie"])
    _street_through(layer, world.first, 30, {"nom_voie": "Rue  de la Mairie"})
    _street_through(layer, world.first, 12, {"nom_voie": "Place de l'Église"})
    report = file(world)
    assert report.address == f"Place de l'Église, {world.first.name}"


def test_a_street_too_far_or_a_private_attribute_names_nothing(world):
    layer = _streets([])  # the attribute is not public: it stays out of the address
    _street_through(layer, world.first, 10, {"nom_voie": "Chemin privé"})
    public = ContextLayer.objects.create(
        name="voies-publiques",
        title="Voies publiques",
        geometry_type="LineString",
        fields=["nom_voie"],
        attribution="Commune",
        status=LayerStatus.READY,
    )
    _street_through(public, world.first, 80, {"nom_voie": "Rue lointaine"})
    assert file(world).address == world.first.name


# --- A banned sender -------------------------------------------------------------------


def test_a_banned_senders_report_is_kept_hidden_and_answered_alike(
    world, mailoutbox, eager_tasks, django_capture_on_commit_callbacks
):
    banned_user = UserFactory()
    BannedSenderFactory(territory=world.territory, user=banned_user, email="")
    BannedSenderFactory(territory=world.territory, email="Importun@Example.org")
    with django_capture_on_commit_callbacks(execute=True):
        by_account = file(world, author=banned_user)
        by_address = file(world, author=None, email="importun@example.org")
    assert by_account.state == Report.State.OPEN
    assert by_address.state == Report.State.UNCONFIRMED
    assert by_account.is_hidden and by_address.is_hidden
    # The address gets its link as anyone; the service is not told of either.
    assert [m.to for m in mailoutbox] == [["importun@example.org"]]
    with django_capture_on_commit_callbacks(execute=True):
        report_confirm(token=report_confirmation_token(report=by_address))
    assert [m.to for m in mailoutbox] == [["importun@example.org"]]
    assert not selectors.reports_public().filter(pk__in=[by_account.pk, by_address.pk]).exists()
    assert not selectors.reports_visible_to(banned_user).filter(pk=by_account.pk).exists()
    # Banned in another territory only: nothing hidden here.
    BannedSenderFactory(email="ailleurs@example.org")
    assert not file(world, author=None, email="ailleurs@example.org").is_hidden


def test_an_account_the_moderators_banned_files_hidden_reports(world):
    """engagement's ban (by the territory's moderators) hides reports as the services'
    own list does; lifted, it hides no more."""
    person = UserFactory()
    ban = Ban.objects.create(
        territory=world.territory, user=person, reason="Insultes", banned_by=UserFactory()
    )
    assert file(world, author=person).is_hidden
    ban.lifted_at = timezone.now()
    ban.save()
    assert not file(world, author=person).is_hidden
