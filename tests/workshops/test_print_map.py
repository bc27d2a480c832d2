# SPDX-License-Identifier: AGPL-3.0-or-later
"""The printable A3 sheet of a workshop's commune, drawn by the real Celery worker."""

import io
import time

import pytest
from PIL import Image
from pypdf import PdfReader

from carto_concertation.core.models import Job
from carto_concertation.workshops.printmap import DPI, HEIGHT, WIDTH, _Frame, print_colour

from .conftest import capture_body, captures_url


def finished(job_id: str) -> Job:
    deadline = time.monotonic() + 180
    while Job.objects.get(pk=job_id).status not in (Job.Status.SUCCEEDED, Job.Status.FAILED):
        assert time.monotonic() < deadline, "the sheet took more than 3 minutes"
        time.sleep(0.3)
    return Job.objects.get(pk=job_id)


def download(client, job: Job) -> bytes:
    response = client.get(f"/api/v1/workshops/print-maps/{job.pk}/download")
    assert response.status_code == 200
    return b"".join(response.streaming_content)


@pytest.mark.django_db(transaction=True)
@pytest.mark.worker
def test_the_sheet_in_png_and_pdf(client, workshop, other_relay, celery_worker):
    for title in ("Un abri vélo", "Une aire de jeux"):
        client.post(
            captures_url(workshop), capture_body(title=title), content_type="application/json"
        )

    started = client.post(captures_url(workshop, "print-map") + "?format=png")
    assert started.status_code == 202, started.content
    job = finished(started.json()["id"])
    assert job.status == Job.Status.SUCCEEDED, job.message
    assert client.get(f"/api/v1/jobs/{job.pk}/").json()["progress"] == 100

    image = Image.open(io.BytesIO(download(client, job)))
    # A3 landscape (420 × 297 mm) at 150 dpi.
    assert image.size == (WIDTH, HEIGHT) == (2480, 1754)
    assert round(image.info["dpi"][0]) == DPI
    colours = {colour for _count, colour in image.convert("RGB").getcolors(1 << 20)}
    # Sancoins holds urban (U) and agricultural (A) zones in the demo PLUi.
    assert print_colour("U") in colours and print_colour("A") in colours
    # The ideas are numbered white discs where they lie (over a coloured zone); both were
    # given at the same place, so the second number moved beside the first (its leader
    # line runs under it), never on it.
    commune = workshop.commune
    frame = _Frame(commune.geom.extent)
    first = workshop.captures.select_related("contribution").first().contribution
    x, y = (round(v) for v in frame(first.geom.x, first.geom.y))
    rgb = image.convert("RGB")
    assert rgb.getpixel((x + 17, y)) == (255, 255, 255)
    assert rgb.getpixel((x - 40, y)) != (255, 255, 255)
    assert rgb.getpixel((x + 48 + 17, y)) == (255, 255, 255)

    started = client.post(captures_url(workshop, "print-map") + "?format=pdf")
    job = finished(started.json()["id"])
    assert job.status == Job.Status.SUCCEEDED, job.message
    content = download(client, job)
    assert content.startswith(b"%PDF")
    # One page, A3 landscape in points (1/72 in): 1190.55 × 841.89; the list is text.
    pdf = PdfReader(io.BytesIO(content))
    assert [(float(p.mediabox.width), float(p.mediabox.height)) for p in pdf.pages] == [
        (1190.4, 841.92)
    ]
    assert "2. Une aire de jeux" in pdf.pages[0].extract_text()

    # Only its author downloads a sheet.
    client.force_login(other_relay)
    assert client.get(f"/api/v1/workshops/print-maps/{job.pk}/download").status_code == 403


@pytest.mark.django_db
def test_a_bad_format_is_refused(client, workshop):
    response = client.post(captures_url(workshop, "print-map") + "?format=svg")
    assert response.status_code == 400
    assert "format" in response.json()
    assert not Job.objects.exists()
