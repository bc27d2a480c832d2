# SPDX-License-Identifier: AGPL-3.0-or-later
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from carto_concertation.site.archive import ArchiveRefused, personal_data_notice, platform_import


class Command(BaseCommand):
    help = (
        "Load an archive written by export_platform into this instance, which must be"
        " empty (migrated, no row in the platform's tables) and at the same version."
        " Every file's SHA-256 and the format version are checked before anything is"
        " written; the rows keep their ids, in one transaction; the media files are"
        " copied into MEDIA_ROOT. A refused archive or instance changes nothing."
        " See docs/reversibility.md."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("archive", type=Path, help="The archive's directory.")

    def _progress(self, options):
        # Per table as it goes; quiet at --verbosity 0.
        return self.stdout.write if options["verbosity"] else lambda message: None

    def handle(self, *args, **options) -> None:
        try:
            counts = platform_import(source=options["archive"], progress=self._progress(options))
        except ArchiveRefused as error:
            raise CommandError(str(error)) from error
        self.stderr.write(self.style.WARNING(personal_data_notice()))
        self.stdout.write(
            self.style.SUCCESS(
                _("Archive imported: %(tables)d tables, %(rows)d rows.")
                % {"tables": len(counts), "rows": sum(counts.values())}
            )
        )
