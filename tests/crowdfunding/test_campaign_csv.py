# SPDX-License-Identifier: AGPL-3.0-or-later
"""The import of a platform's export, on files written here in each layout: UTF-8 with
a BOM or Windows-1252, semicolons or commas, decimal commas, quoted fields, an empty line
at the end. All or nothing, a report naming each refused line, totals checked against
sums computed here, and no contributor's name, e-mail or id kept anywhere."""

import re
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from carto_concertation.crowdfunding.models import FundingImport, FundingUpdate, Project
from carto_concertation.crowdfunding.services.funding_csv import (
    FundingExportRefused,
    funding_import,
    read_export,
)
from carto_concertation.crowdfunding.services.funding_csv.reading import (
    _LineRefused,
    parse_amount,
    parse_date,
)

from .campaign_world import upload, world_fixture  # noqa: F401

pytestmark = pytest.mark.django_db

# (date, amount in cents, status, contributor id, name, e-mail) of a generic export.
CONTRIBUTIONS = [
    ("01/03/2026", 2_550, "Payé", "C-001", "Jeanne Martin", "jeanne.martin@example.org"),
    ("01/03/2026", 100_000, "payé", "C-002", "Paul Durand", "paul.durand@example.org"),
    ("02/03/2026", 1_000, "Remboursé", "C-003", "Luc Petit", "luc.petit@example.org"),
    ("03/03/2026", 4_999, "Validé", "C-001", "Jeanne Martin", "jeanne.martin@example.org"),
    ("4 mars 2026", 12_345, "Payé", "C-004", "Anne Roux; née Blanc", "anne.roux@example.org"),
    ("05/03/2026", 7_000, "Annulé", "C-005", "Marc Noir", "marc.noir@example.org"),
]
PERSONAL = [text for row in CONTRIBUTIONS for text in row[3:]]


def _french_amount(cents: int) -> str:
    euros, rest = divmod(cents, 100)
    grouped = f"{euros:,}".replace(",", "\u202f")
    return f"{grouped},{rest:02d} €"


def _generic_export() -> str:
    lines = ["date;montant;statut;contributeur;nom;e-mail"]
    for day, cents, status, contributor, name, email in CONTRIBUTIONS:
        lines.append(f'{day};"{_french_amount(cents)}";{status};{contributor};"{name}";{email}')
    return "\ufeff" + "\r\n".join(lines) + "\r\n\r\n"


def _counted():
    return [row for row in CONTRIBUTIONS if row[2].lower() in ("payé", "validé")]


def _import(world, text, *, encoding="utf-8", user=None, reason=""):
    return funding_import(
        user=user or world.porteur,
        project=world.project,
        upload=upload(text, encoding=encoding),
        correction_reason=reason,
    )


def test_a_generic_export_with_a_bom_gives_its_totals(world):
    record, report = _import(world, _generic_export())

    counted = _counted()
    total_cents = sum(row[1] for row in counted)
    expected_raised = (total_cents + 50) // 100  # to the nearest euro, half up
    distinct = len({row[3] for row in counted})
    assert (report.layout.name, report.total) == ("generic", Decimal(total_cents) / 100)
    assert (record.layout, record.lines, record.counted, record.set_aside) == (
        "generic",
        len(CONTRIBUTIONS),
        len(counted),
        len(CONTRIBUTIONS) - len(counted),
    )
    update = record.update
    assert (update.source, update.raised, update.contributors) == (
        FundingUpdate.Source.PLATFORM_CSV,
        expected_raised,
        distinct,
    )
    world.project.refresh_from_db()
    assert (world.project.raised, world.project.contributors) == (expected_raised, distinct)
    assert [line.line for line in report.lines] == [2, 3, 4, 5, 6, 7]
    assert [line.outcome for line in report.lines] == [
        "counted",
        "counted",
        "set_aside",
        "counted",
        "counted",
        "set_aside",
    ]


def test_a_windows_1252_export_with_commas_counts_paid_lines_without_ids(world):
    rows = [("12/01/2026", "12,50", "Payé"), ("13/01/2026", "7", "Remboursé")]
    rows += [("14/01/2026", "20,05", "payé"), ("15/01/2026", "0,45", "PAYÉ")]
    text = "Date,Montant,Statut\n" + "".join(f'{d},"{a}",{s}\n' for d, a, s in rows)

    record, report = _import(world, text, encoding="cp1252")

    assert report.total == Decimal("12.50") + Decimal("20.05") + Decimal("0.45")
    assert (record.update.raised, record.update.contributors) == (33, 3)
    assert (record.counted, record.set_aside) == (3, 1)


def test_a_kickstarter_backer_report_counts_distinct_backers(world):
    rows = [
        ("1", "uid-17", "Ada L.", "ada@example.org", "$1,250.00", "collected"),
        ("2", "uid-18", "Bob, Jr.", "bob@example.org", "$25.00", "collected"),
        ("3", "uid-17", "Ada L.", "ada@example.org", "$10.50", "collected"),
        ("4", "uid-19", "Cy", "cy@example.org", "$300.00", "dropped"),
        ("5", "uid-20", "Di", "di@example.org", "$40.00", "refunded"),
    ]
    header = (
        "Backer Number,Backer UID,Backer Name,Email,Shipping Country,Pledge Amount,Pledged Status"
    )
    body = "".join(
        f'{n},{uid},"{name}",{mail},FR,"{amount}",{status}\n'
        for n, uid, name, mail, amount, status in rows
    )
    record, report = _import(world, "\ufeff" + header + "\n" + body)

    assert report.layout.name == "kickstarter"
    assert report.total == Decimal("1285.50")
    assert (record.update.raised, record.update.contributors) == (1_286, 2)
    assert (record.counted, record.set_aside) == (3, 2)


def test_one_bad_line_refuses_the_whole_file_and_the_report_names_it(world):
    text = _generic_export().replace("03/03/2026;", "31/02/2026;")
    text = text.replace("Annulé", "Perdu")

    with pytest.raises(FundingExportRefused) as refused:
        _import(world, text)

    report = refused.value.report
    assert [(line.line, line.field) for line in report.errors] == [(5, "date"), (7, "statut")]
    assert "31/02/2026" in report.errors[0].reason
    assert "Perdu" in report.errors[1].reason
    assert "line 5" in refused.value.message_dict["file"][0]
    assert not FundingImport.objects.exists()
    assert not FundingUpdate.objects.exists()
    world.project.refresh_from_db()
    assert (world.project.raised, world.project.contributors) == (0, 0)


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not a CSV"),
        (b"date;montant\n01/01/2026;12\n", "statut"),
        ("nom,prénom\nMartin,Jeanne\n".encode(), "header row"),
        (b"date;montant;statut\n", "no contribution"),
        (b"", "empty"),
        ('date;montant;statut\n01/01/2026;"12;payé\n'.encode(), "CSV"),
    ],
    ids=["binary", "missing-column", "unknown-header", "header-only", "empty", "bad-quote"],
)
def test_a_file_that_cannot_be_read_is_refused_whole(world, content, says):
    with pytest.raises(ValidationError) as refused:
        funding_import(
            user=world.porteur,
            project=world.project,
            upload=SimpleUploadedFile("export.csv", content, content_type="text/csv"),
        )
    [message] = refused.value.message_dict["file"]
    assert says in message
    assert not FundingImport.objects.exists()


def test_the_file_size_and_the_line_count_are_bounded(world, settings):
    settings.CROWDFUNDING_IMPORT_MAX_LINES = 3
    text = "date;montant;statut\n" + "01/01/2026;1;payé\n" * 4
    with pytest.raises(ValidationError, match="Too many lines"):
        _import(world, text)
    settings.CROWDFUNDING_IMPORT_MAX_BYTES = 20
    with pytest.raises(ValidationError, match="too large"):
        _import(world, "date;montant;statut\n01/01/2026;1;payé\n")
    assert not FundingImport.objects.exists()


def test_a_lower_total_needs_the_reason_given_with_the_upload(world):
    Project.objects.filter(pk=world.project.pk).update(raised=5_000, contributors=3)
    with pytest.raises(ValidationError) as refused:
        _import(world, _generic_export())
    assert list(refused.value.message_dict) == ["correction_reason"]
    assert not FundingImport.objects.exists()

    record, _report = _import(world, _generic_export(), reason="Export après remboursements")
    assert record.update.correction_reason == "Export après remboursements"


def test_only_the_porteur_or_an_agent_imports(world):
    for user in (world.resident, world.stranger_agent):
        with pytest.raises(PermissionDenied):
            _import(world, _generic_export(), user=user)
    record, _report = _import(world, _generic_export(), user=world.agent)
    assert record.imported_by == world.agent


def test_no_contributor_is_kept_anywhere(world):
    record, _report = _import(world, _generic_export())
    kept = []
    for row in (record, record.update, Project.objects.get(pk=world.project.pk)):
        kept += [str(getattr(row, f.attname)) for f in row._meta.concrete_fields]
    for text in PERSONAL:
        assert not any(text in value for value in kept), text


@pytest.mark.parametrize(
    ("text", "thousands", "amount"),
    [
        ("1\u00a0234,56 €", False, "1234.56"),
        ("1.234,56", False, "1234.56"),
        ("12,5", False, "12.5"),
        ("12.50", False, "12.50"),
        ("EUR 7", False, "7"),
        ("$1,234.56", True, "1234.56"),
        ("1,234", True, "1234"),
    ],
)
def test_amounts_as_exports_write_them(text, thousands, amount):
    assert parse_amount(text, comma_groups_thousands=thousands) == Decimal(amount)


@pytest.mark.parametrize("text", ["12,345", "1,2,3", "douze", "-5", "12 € 50", "1e3"])
def test_amounts_that_are_not(text):
    with pytest.raises(_LineRefused):
        parse_amount(text, comma_groups_thousands=False)


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("03/04/2026", "2026-04-03"),
        ("03/04/26 14:05", "2026-04-03"),
        ("3 avril 2026", "2026-04-03"),
        ("1er août 2026", "2026-08-01"),
        ("2026-04-03T14:05:00Z", "2026-04-03"),
        ("03.04.2026", "2026-04-03"),
    ],
)
def test_dates_as_french_exports_write_them(text, iso):
    assert parse_date(text).isoformat() == iso


@pytest.mark.parametrize("text", ["31/02/2026", "2026/13/01", "demain", "01/01/2999"])
def test_dates_that_are_not(text):
    with pytest.raises(_LineRefused):
        parse_date(text)


def test_the_report_reads_without_writing(world):
    report = read_export(upload(_generic_export()))
    assert (report.counted, report.set_aside, report.errors) == (4, 2, [])
    assert not FundingImport.objects.exists()


# The API.


def _api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _url(project) -> str:
    return f"/api/v1/crowdfunding/projects/{project.slug}/funding-import"


def test_the_api_imports_and_answers_the_report_without_anyone_named(world):
    answer = _api(world.porteur).post(
        _url(world.project), {"file": upload(_generic_export())}, format="multipart"
    )
    assert answer.status_code == 201, answer.content
    data = answer.json()
    assert data["update"]["source"] == "platform_csv"
    assert data["update"]["funding_import"] == {
        "layout": "generic",
        "lines": 6,
        "counted": 4,
        "set_aside": 2,
    }
    assert [line["outcome"] for line in data["lines"]][:3] == ["counted", "counted", "set_aside"]
    for text in PERSONAL:
        assert text not in answer.content.decode()


def test_the_api_refuses_a_bad_line_with_its_number_and_writes_nothing(world):
    text = _generic_export().replace('"1\u202f000,00 €"', "mille")
    answer = _api(world.agent).post(_url(world.project), {"file": upload(text)}, format="multipart")
    assert answer.status_code == 400
    data = answer.json()
    refused = [line for line in data["lines"] if line["outcome"] == "refused"]
    assert [(line["line"], line["field"]) for line in refused] == [(3, "montant")]
    assert re.search(r"\b(line|ligne) 3\b", data["file"][0])
    assert not FundingImport.objects.exists()


def test_the_api_hides_the_project_from_a_stranger(world):
    answer = _api(world.stranger_agent).post(
        _url(world.project), {"file": upload(_generic_export())}, format="multipart"
    )
    assert answer.status_code == 404
    answer = _api(world.porteur).post(_url(world.project), {}, format="multipart")
    assert answer.status_code == 400
    assert "file" in answer.json()


def test_a_quoted_line_break_keeps_the_lines_numbered_as_a_spreadsheet_shows(world):
    text = (
        "date;montant;statut;commentaire\n"
        '01/03/2026;10;payé;"Pour l’école ;\nbravo"\n'
        "02/03/2026;dix;payé;\n"
    )
    with pytest.raises(FundingExportRefused) as refused:
        _import(world, text)
    assert [(line.line, line.outcome) for line in refused.value.report.lines] == [
        (2, "counted"),
        (4, "refused"),
    ]


def test_a_refused_line_names_the_column_as_the_file_does(world):
    text = (
        "\ufeffBacker UID,Pledge Amount,Pledged Status\nuid-1,$5.00,pending\nuid-2,five,collected\n"
    )
    report = read_export(upload(text))
    assert [(line.line, line.field) for line in report.errors] == [
        (2, "Pledged Status"),
        (3, "Pledge Amount"),
    ]
