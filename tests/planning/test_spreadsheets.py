# SPDX-License-Identifier: AGPL-3.0-or-later
"""The export as a spreadsheet, XLSX and ODS, from the dashboard's buttons: the public
ideas under French column labels, dates in Paris time as dd/mm/yyyy HH:MM, statuses
spelt out, no formula run from what a resident typed, nothing that is not public."""

import io
import zipfile
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from odf.opendocument import load
from odf.table import Table, TableCell, TableRow
from odf.text import P
from openpyxl import load_workbook

from carto_concertation.contributions.models import Contribution
from carto_concertation.contributions.moderation import contribution_answer, contribution_hide
from tests.factories import UserFactory
from tests.worlds import demo_user, make_idea

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture
def ideas(open_concertation, planner, moderator):
    first = make_idea(open_concertation, UserFactory(), title="Un banc place de l'église")
    formula = make_idea(open_concertation, UserFactory(), libelle="A", title="=1+1 HYPERLINK")
    hidden = make_idea(open_concertation, UserFactory(), title="Idée masquée ici")
    contribution_hide(contribution=hidden, actor=moderator, reason="Hors charte.")
    contribution_answer(
        contribution=first,
        actor=planner,
        status="retained",
        answer="Le banc sera posé.",
        answer_service="Services techniques",
    )
    # A summer date and a winter date: Paris is UTC+2, then UTC+1.
    Contribution.objects.filter(pk=first.pk).update(
        created_at=datetime(2026, 7, 14, 8, 5, tzinfo=ZoneInfo("UTC"))
    )
    Contribution.objects.filter(pk=formula.pk).update(
        created_at=datetime(2026, 1, 3, 23, 30, tzinfo=ZoneInfo("UTC"))
    )
    return first, formula, hidden


def download(client, concertation, fmt: str) -> bytes:
    response = client.get(f"/api/v1/concertations/{concertation.slug}/export", {"format": fmt})
    assert response.status_code == 200, response.content
    assert response["Content-Disposition"].endswith(f'.{fmt}"')
    return b"".join(response.streaming_content)


def test_xlsx(client, open_concertation, ideas):
    first, formula, _hidden = ideas
    content = download(client, open_concertation, "xlsx")
    sheet = load_workbook(io.BytesIO(content)).active
    rows = list(sheet.iter_rows(values_only=True))
    headers = rows[0]
    assert headers[:3] == ("Numéro", "Titre", "Texte")
    assert "Créé le" in headers and "Répondu le" in headers and "État" in headers
    by_id = {row[0]: dict(zip(headers, row, strict=True)) for row in rows[1:]}
    assert set(by_id) == {first.pk, formula.pk}  # the hidden idea is not public
    assert by_id[first.pk]["Créé le"] == datetime(2026, 7, 14, 10, 5)  # Paris, summer
    assert by_id[formula.pk]["Créé le"] == datetime(2026, 1, 4, 0, 30)  # Paris, winter
    assert by_id[first.pk]["État"] == "retenue"
    assert by_id[first.pk]["Réponse de la collectivité"] == "Le banc sera posé."
    assert by_id[formula.pk]["Titre"].startswith("'=1+1")  # shown as text, never run
    created = headers.index("Créé le") + 1
    cell = sheet.cell(row=2, column=created)
    assert cell.number_format == "DD/MM/YYYY HH:MM"
    assert sheet.freeze_panes == "A2"  # the header stays in view
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert "<f>" not in archive.read("xl/worksheets/sheet1.xml").decode()


def cells_of(row) -> list[str]:
    values = []
    for cell in row.getElementsByType(TableCell):
        text = "".join(str(p) for p in cell.getElementsByType(P))
        repeat = int(cell.getAttribute("numbercolumnsrepeated") or 1)
        values.extend([text] * repeat)
    return values


def test_ods(client, open_concertation, ideas):
    first, formula, _hidden = ideas
    content = download(client, open_concertation, "ods")
    document = load(io.BytesIO(content))
    table = document.spreadsheet.getElementsByType(Table)[0]
    rows = [cells_of(row) for row in table.getElementsByType(TableRow)]
    headers = rows[0]
    assert headers[:3] == ["Numéro", "Titre", "Texte"]
    by_id = {row[0]: dict(zip(headers, row, strict=False)) for row in rows[1:]}
    assert set(by_id) == {str(first.pk), str(formula.pk)}
    assert by_id[str(first.pk)]["Créé le"] == "14/07/2026 10:05"
    assert by_id[str(formula.pk)]["Créé le"] == "04/01/2026 00:30"
    dates = [
        cell.getAttribute("datevalue")
        for row in table.getElementsByType(TableRow)
        for cell in row.getElementsByType(TableCell)
        if cell.getAttribute("valuetype") == "date"
    ]
    assert "2026-07-14T10:05:00" in dates  # a real date, in local time


def test_the_dashboard_offers_every_export_without_javascript(client, open_concertation, planner):
    client.force_login(planner)
    html = client.get(f"/concertations/{open_concertation.slug}/tableau-de-bord/").content.decode()
    exports = html.split('id="exports"')[1].split("</ul>")[0]
    for fmt in ("geojson", "csv", "gpkg", "ods", "xlsx"):
        assert f"export?format={fmt}" in exports


def test_unknown_format_is_refused(client, open_concertation):
    response = client.get(f"/api/v1/concertations/{open_concertation.slug}/export?format=xls")
    assert response.status_code == 400


def test_the_planner_is_never_named(client, open_concertation, ideas):
    content = download(client, open_concertation, "xlsx")
    sheet = load_workbook(io.BytesIO(content)).active
    text = " ".join(str(v) for row in sheet.iter_rows(values_only=True) for v in row if v)
    assert demo_user("urbanisme@demo.invalid").pseudonym not in text
    assert ideas[0].author.pseudonym not in text


def test_the_command_writes_them_too(open_concertation, ideas, tmp_path):
    for fmt in ("xlsx", "ods"):
        path = tmp_path / f"export.{fmt}"
        call_command("export_concertation", open_concertation.slug, format=fmt, output=path)
        with zipfile.ZipFile(path) as archive:
            assert archive.testzip() is None
    sheet = load_workbook(tmp_path / "export.xlsx").active
    assert sheet.max_row == 3  # the header and the two public ideas
