# SPDX-License-Identifier: AGPL-3.0-or-later
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from plui_documents.reporting import report_lines
from plui_documents.services import PluiImportError, plui_import


class Command(BaseCommand):
    help = (
        "Import a PLU/PLUi in the CNIG standard (2014, 2017 or 2024): a GPU zip, a folder of "
        "shapefiles, a GeoPackage or GeoJSON. A document already known by its IDURBA gets a "
        "new version, which becomes current only if the whole import succeeds."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("path", type=Path, help="zip, folder, .gpkg, .shp or .geojson")
        parser.add_argument(
            "--idurba", help="IDURBA of the document, when the delivery does not say"
        )
        parser.add_argument(
            "--source-srid", type=int, help="EPSG code of the data when the files declare none"
        )

    def handle(self, *args, path: Path, idurba: str | None, source_srid: int | None, **options):
        def progress(percent: int, message: str) -> None:
            self.stdout.write(f"[{percent:3d} %] {message}")

        try:
            version, report = plui_import(
                path=path, idurba=idurba, source_srid=source_srid, progress=progress
            )
        except PluiImportError as exc:
            for line in report_lines(exc.report):
                self.stderr.write(line)
            raise CommandError(
                _("%(path)s was not imported: nothing was changed.") % {"path": path}
            ) from exc
        for line in report_lines(report):
            self.stdout.write(line)
        self.stdout.write(
            self.style.SUCCESS(
                _("%(document)s: version %(number)s is now current.")
                % {"document": version.document, "number": version.number}
            )
        )
