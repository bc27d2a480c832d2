# SPDX-License-Identifier: AGPL-3.0-or-later
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from carto_concertation.site.archive import (
    ArchiveRefused,
    GeoPackageError,
    personal_data_notice,
    platform_export,
)


class Command(BaseCommand):
    help = (
        "Write everything the platform holds (territories, PLU/PLUi, layers, every module's"
        " data, accounts and roles, media) to an archive of open formats in a new directory:"
        " a GeoPackage for the tables with a geometry, a JSON file and its JSON Schema for"
        " each other table, the media files, and manifest.json (format version, date, rows"
        " per table, SHA-256 of every file). The archive holds personal data."
        " See docs/reversibility.md."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--output",
            required=True,
            type=Path,
            help="The directory to write (created; refused if it holds anything or lies under MEDIA_ROOT).",
        )

    def _progress(self, options):
        # Per table as it goes; quiet at --verbosity 0.
        return self.stdout.write if options["verbosity"] else lambda message: None

    def handle(self, *args, **options) -> None:
        self.stderr.write(self.style.WARNING(personal_data_notice()))
        try:
            manifest = platform_export(output=options["output"], progress=self._progress(options))
        except (ArchiveRefused, GeoPackageError) as error:  # ogr2ogr's message is enough
            raise CommandError(str(error)) from error
        rows = sum(table["rows"] for table in manifest["tables"])
        self.stdout.write(
            self.style.SUCCESS(
                _("Archive written to %(dir)s: %(tables)d tables, %(rows)d rows, %(files)d files.")
                % {
                    "dir": options["output"],
                    "tables": len(manifest["tables"]),
                    "rows": rows,
                    "files": len(manifest["files"]),
                }
            )
        )
