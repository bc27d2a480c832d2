# SPDX-License-Identifier: AGPL-3.0-or-later
"""No open file carries an e-mail address or a pseudonym of the database, in any format,
as bytes or as text: on the demo (committed once for the module, every module's data)."""

from carto_concertation.accounts.models import User
from carto_concertation.opendata.catalogue.files import open_file_path, open_files_refresh
from carto_concertation.opendata.models import OpenFile
from tests.factories import ConcertationFactory, ContributionFactory, UserFactory

from .open_files_world import TEST_IDEAS, with_test_ideas


def personal_strings() -> list[str]:
    """Every e-mail address and pseudonym in the database (as the exports' test reads
    them, tests/exports/conftest.py)."""
    return [
        value
        for email, pseudonym in User.objects.values_list("email", "pseudonym")
        for value in (email, pseudonym)
        if value
    ]


def test_no_open_file_carries_an_email_or_a_pseudonym(
    demo_concertation, settings, monkeypatch, tmp_path
):
    """On the demo (every module's data), with ideas by authors of known addresses and
    pseudonyms: every byte of every file, the GeoPackage and FlatGeobuf included, and
    their text decoded."""
    with_test_ideas(monkeypatch)
    settings.OPEN_DATA_FLATGEOBUF_FROM = 1
    settings.MEDIA_ROOT = tmp_path
    territory = demo_concertation.territory
    author = UserFactory(email="camille.secret@example.org", pseudonym="Camille Introuvable")
    concertation = ConcertationFactory(territory=territory)
    for shape in ("point", "line", "area"):
        ContributionFactory(concertation=concertation, author=author, shape=shape)
    open_files_refresh()
    records = list(OpenFile.objects.select_related("territory"))
    assert {r.collection for r in records} >= {"communes", TEST_IDEAS.name}
    assert {r.format for r in records} == {"geojson", "csv", "gpkg", "fgb"}
    personal = personal_strings()
    assert "camille.secret@example.org" in personal and "Camille Introuvable" in personal
    assert len(personal) > 10  # the demo's accounts are there
    for record in records:
        path = open_file_path(
            siren=record.territory.siren, collection=record.collection, fmt=record.format
        )
        data = path.read_bytes()
        texts = {data.decode("utf-8", errors="ignore"), data.decode("latin-1")}
        for value in personal:
            assert value.encode() not in data, f"{value!r} is in {path.name}"
            for text in texts:
                assert value not in text, f"{value!r} is in {path.name}"
        if record.format in ("geojson", "csv"):
            assert "@" not in data.decode("utf-8"), path.name
