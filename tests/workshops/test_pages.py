# SPDX-License-Identifier: AGPL-3.0-or-later
"""The relay's workshop pages, without JavaScript, on the small world: the workshop's
page and its tools (paper import and its report, the A3 sheet, the offline package and
their progress pages), the summary for the mayor, the form's preselection, and who may
reach each page and POST (a relay of another commune: 404; a resident: 403)."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils.html import escape
from pypdf import PdfReader

from carto_concertation.accounts.models import Role
from carto_concertation.contributions.models import Contribution
from carto_concertation.core.jobs import job_finish
from carto_concertation.core.models import Job
from carto_concertation.workshops import services
from tests.factories import (
    ConcertationFactory,
    WorkshopCaptureFactory,
    WorkshopFactory,
    user_with_role,
)
from tests.factories.contributions import place_in
from tests.factories.geometry import lonlat, shape_at, wgs84
from tests.worlds import demo_user
from tiles.services import offline_package_path


@pytest.fixture
def client():
    """The pages in English, the language the assertions are written in."""
    return Client(headers={"accept-language": "en"})


@pytest.fixture
def relay(small_open_concertation):
    """The small world's relay: its first two communes."""
    return demo_user("relais@demo.invalid")


@pytest.fixture
def workshop(small_open_concertation, relay):
    return WorkshopFactory(concertation=small_open_concertation, created_by=relay)


@pytest.fixture
def other_relay(small_open_concertation):
    """A relay of the territory's fifth commune only."""
    territory = small_open_concertation.territory
    return user_with_role(
        Role.RELAY, territory=territory, communes=territory.communes.order_by("insee")[4:5]
    )


def csv_upload(*lines: str, name: str = "atelier.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, "\n".join(lines).encode(), content_type="text/csv")


def place(workshop, n: int = 0) -> str:
    lon, lat = lonlat(wgs84(place_in(workshop.concertation, n, workshop.commune.geom)))
    return f"{lon:.6f};{lat:.6f}"


HEADER = "titre;texte;thème;longitude;latitude"


def paper_ideas():
    return Contribution.objects.filter(channel="paper")


def pages(workshop, job=None) -> list[str]:
    base = f"/workshops/{workshop.pk}/"
    found = [base, base + "capture/", base + "paper-import/", base + "summary/"]
    if job is not None:
        found.append(f"{base}jobs/{job.pk}/")
    return found


@pytest.mark.django_db
def test_another_commune_s_relay_and_a_resident_reach_no_page_and_no_post(
    client, workshop, relay, other_relay, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr(services.workshop_print_map_task, "delay", lambda job_id: None)
    client.force_login(relay)
    with django_capture_on_commit_callbacks():
        started = client.post(f"/workshops/{workshop.pk}/print/", {"format": "pdf"})
    job = Job.objects.get()
    assert started.status_code == 302
    for url in pages(workshop, job):
        assert client.get(url).status_code == 200, url

    client.force_login(other_relay)
    for url in pages(workshop, job):
        assert client.get(url).status_code == 404, url
    posts = {
        "paper-import/": {"file": csv_upload(HEADER, f"Un banc;Ici;;{place(workshop)}")},
        "print/": {"format": "pdf"},
        "offline-package/": {},
    }
    for suffix, data in posts.items():
        assert client.post(f"/workshops/{workshop.pk}/{suffix}", data).status_code == 404, suffix
    assert Job.objects.count() == 1 and not paper_ideas().exists()

    client.force_login(demo_user("habitant@demo.invalid"))
    for url in pages(workshop, job):
        assert client.get(url).status_code == 403, url
    for suffix in posts:
        assert client.post(f"/workshops/{workshop.pk}/{suffix}", {}).status_code == 403, suffix

    client.logout()
    assert client.get(f"/workshops/{workshop.pk}/")["Location"].startswith("/accounts/login/")
    # Another relay's job, even of a workshop one runs, is not one's own to follow.
    planner = demo_user("urbanisme@demo.invalid")
    client.force_login(planner)
    assert client.get(f"/workshops/{workshop.pk}/").status_code == 200
    assert client.get(f"/workshops/{workshop.pk}/jobs/{job.pk}/").status_code == 404


@pytest.mark.django_db
def test_the_workshop_page_has_a_form_for_each_tool(client, workshop, relay):
    client.force_login(relay)
    listing = client.get("/workshops/").content.decode()
    assert f'href="/workshops/{workshop.pk}/"' in listing
    page = client.get(f"/workshops/{workshop.pk}/").content.decode()
    for action in ("paper-import/", "print/", "offline-package/"):
        assert f'action="/workshops/{workshop.pk}/{action}"' in page
    assert 'enctype="multipart/form-data"' in page
    assert page.count("csrfmiddlewaretoken") >= 4
    assert f'href="/workshops/{workshop.pk}/capture/"' in page
    assert f'href="/workshops/{workshop.pk}/summary/"' in page


@pytest.mark.django_db
def test_a_good_paper_file_through_the_page_reports_each_idea(client, workshop, relay):
    client.force_login(relay)
    upload = csv_upload(
        HEADER,
        f"Un banc;Devant la mairie;Mobilité;{place(workshop, 0)}",
        f"Une haie;Le long du stade;;{place(workshop, 1)}",
    )
    response = client.post(f"/workshops/{workshop.pk}/paper-import/", {"file": upload})
    assert response.status_code == 200
    ideas = {idea.title: idea.pk for idea in paper_ideas()}
    assert set(ideas) == {"Un banc", "Une haie"}
    report = response.context["report"]
    assert [(line.line, line.title, line.contribution) for line in report.lines] == [
        (2, "Un banc", ideas["Un banc"]),
        (3, "Une haie", ideas["Une haie"]),
    ]
    html = response.content.decode()
    assert f"Imported as idea n° {ideas['Un banc']}" in html
    assert "2 new ideas" in html

    again = client.post(
        f"/workshops/{workshop.pk}/paper-import/",
        {
            "file": csv_upload(
                HEADER,
                f"Un banc;Devant la mairie;Mobilité;{place(workshop, 0)}",
                f"Une haie;Le long du stade;;{place(workshop, 1)}",
            )
        },
    )
    assert "Already imported as idea" in again.content.decode()
    assert paper_ideas().count() == 2


@pytest.mark.django_db
def test_a_file_with_bad_lines_names_each_line_and_reason_and_writes_nothing(
    client, workshop, relay
):
    client.force_login(relay)
    upload = csv_upload(
        HEADER,
        f"Un banc;Devant la mairie;;{place(workshop, 0)}",
        f"Une piste;Vers le collège;Aviation;{place(workshop, 1)}",
        "Un arbre;Sur la place;;abc;46,8",
    )
    response = client.post(f"/workshops/{workshop.pk}/paper-import/", {"file": upload})
    assert response.status_code == 400
    assert not paper_ideas().exists()
    lines = {line.line: line for line in response.context["report"].lines}
    assert lines[2].errors == () and lines[2].contribution is None
    assert [e["field"] for e in lines[3].errors] == ["theme"]
    assert "Aviation" in lines[3].errors[0]["reason"]
    assert [e["field"] for e in lines[4].errors] == ["lon"]
    html = response.content.decode()
    assert "Nothing was imported: correct these lines." in html
    assert "Unknown theme: Aviation" in html
    assert "Correct, but not imported" in html
    assert re.search(r"<td>4</td>\s*<td>Un arbre</td>", html)

    unreadable = client.post(
        f"/workshops/{workshop.pk}/paper-import/",
        {"file": csv_upload("nom;adresse", "Lise;1 rue")},
    )
    assert unreadable.status_code == 400
    assert "needs the columns" in unreadable.content.decode()
    assert not paper_ideas().exists()


@pytest.mark.django_db
def test_the_a3_sheet_is_started_from_the_page_and_downloaded(
    client, workshop, relay, eager_tasks, django_capture_on_commit_callbacks
):
    client.force_login(relay)
    WorkshopCaptureFactory(workshop=workshop, captured_by=relay, title="Un abri vélo")
    with django_capture_on_commit_callbacks(execute=True):
        started = client.post(f"/workshops/{workshop.pk}/print/", {"format": "pdf"})
    job = Job.objects.get(kind=services.PRINT_JOB)
    assert started["Location"] == f"/workshops/{workshop.pk}/jobs/{job.pk}/"
    page = client.get(started["Location"])
    assert page.context["download_url"] == f"/api/v1/workshops/print-maps/{job.pk}/download"
    assert "Download the A3 sheet" in page.content.decode()
    download = client.get(page.context["download_url"])
    pdf = PdfReader(io.BytesIO(b"".join(download.streaming_content)))
    assert "1. Un abri vélo" in pdf.pages[0].extract_text()

    assert client.post(f"/workshops/{workshop.pk}/print/", {"format": "svg"}).status_code == 400


@pytest.mark.django_db
def test_the_offline_package_is_started_from_the_page_and_followed(
    client, workshop, relay, monkeypatch, django_capture_on_commit_callbacks
):
    sent = []
    monkeypatch.setattr(services.offline_package_task, "delay", sent.append)
    client.force_login(relay)
    with django_capture_on_commit_callbacks(execute=True):
        started = client.post(f"/workshops/{workshop.pk}/offline-package/")
    job = Job.objects.get(kind="offline_package")
    assert sent == [str(job.pk)]
    assert job.params == {"concertation_id": workshop.concertation_id}
    assert job.created_by == relay

    waiting = client.get(started["Location"])
    html = waiting.content.decode()
    assert 'id="job-progress"' in html and f'href="/workshops/{workshop.pk}/jobs/{job.pk}/"' in html
    assert "common/job.js" in html
    assert waiting.context["download_url"] is None

    path = offline_package_path(str(job.pk))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"SQLite format 3\x00")
    job_finish(str(job.pk), succeeded=True, message="12 tiles ready.", report={"tiles": 12})
    ready = client.get(started["Location"])
    assert ready.context["download_url"] == f"/api/v1/jobs/{job.pk}/download"
    assert "Download the offline package" in ready.content.decode()
    assert client.get(ready.context["download_url"]).status_code == 200

    # A package that failed says so, with no download.
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(f"/workshops/{workshop.pk}/offline-package/")
    failed = Job.objects.exclude(pk=job.pk).get(kind="offline_package")
    job_finish(str(failed.pk), succeeded=False, message="No tiles.", report={})
    page = client.get(again["Location"])
    assert page.context["download_url"] is None
    assert "It failed: No tiles." in page.content.decode()


@pytest.mark.django_db
def test_the_summary_numbers_the_ideas_maps_them_and_counts_participants(client, workshop, relay):
    client.force_login(relay)
    commune = workshop.commune.geom
    for n, (title, participant, shape) in enumerate(
        [
            ("Un abri vélo", "Lise", "point"),
            ("Une piste cyclable", "Lise", "line"),
            ("Un parc", "Marc", "area"),
            ("Un banc", "", "point"),
        ]
    ):
        WorkshopCaptureFactory(
            workshop=workshop,
            captured_by=relay,
            title=title,
            participant=participant,
            geometry=wgs84(shape_at(place_in(workshop.concertation, n, commune), shape)),
        )
    response = client.get(f"/workshops/{workshop.pk}/summary/")
    html = response.content.decode()
    for fact in (workshop.commune.name, workshop.place, workshop.facilitator):
        assert escape(fact) in html
    assert re.findall(r'<li value="(\d+)">\s*<strong>([^<]+)</strong>', html) == [
        ("1", "Un abri vélo"),
        ("2", "Une piste cyclable"),
        ("3", "Un parc"),
        ("4", "Un banc"),
    ]
    # Pseudonyms are counted (Lise twice is one person), never printed.
    assert "2 participants named by a pseudonym, 1 idea given without a pseudonym" in html
    assert "Lise" not in html and "Marc" not in html
    # The map: the commune, the line and the area drawn, four numbers.
    assert '<path class="commune"' in html
    # Its zoning in the A3 sheet's colours, with a legend.
    assert re.search(r'<path class="zone" fill="#[0-9a-f]{6}" d="M', html)
    assert "U — urban zone" in html
    assert '<path class="idea-line"' in html and '<path class="idea-area"' in html
    assert re.findall(r'dy="0.35em">(\d+)</text>', html) == ["1", "2", "3", "4"]
    assert "@media print" in open_static("workshops/workshop.css")


def open_static(name: str) -> str:
    from django.contrib.staticfiles import finders

    with open(finders.find(name), encoding="utf-8") as handle:
        return handle.read()


@pytest.mark.django_db
def test_the_form_preselects_the_only_concertation(client, small_open_concertation, relay):
    client.force_login(relay)
    form = client.get("/workshops/").context["form"]
    assert form["concertation"].value() == small_open_concertation.pk
    assert form["commune"].value() is None  # two communes: the relay chooses

    ConcertationFactory(territory=small_open_concertation.territory, title="Une autre")
    form = client.get("/workshops/").context["form"]
    assert form["concertation"].value() is None


@pytest.mark.django_db
@pytest.mark.french
def test_the_summary_map_s_coordinates_stay_numbers_in_french(workshop, relay):
    """A French page writes 459,2 for a number: not inside an SVG attribute."""
    WorkshopCaptureFactory(workshop=workshop, captured_by=relay)
    WorkshopCaptureFactory(workshop=workshop, captured_by=relay)
    client = Client()
    client.force_login(relay)
    html = client.get(f"/workshops/{workshop.pk}/summary/").content.decode()
    assert "Synthèse de l'atelier" in html or "Synthèse de l&#x27;atelier" in html
    coordinates = re.findall(r' (?:cx|cy|x|y|x1|y1|x2|y2|r)="([^"]*)"', html)
    assert len(coordinates) >= 6
    assert all(re.fullmatch(r"-?\d+(\.\d+)?", value) for value in coordinates), coordinates
