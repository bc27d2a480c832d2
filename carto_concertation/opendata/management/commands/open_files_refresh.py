# SPDX-License-Identifier: AGPL-3.0-or-later
from django.core.management.base import BaseCommand, CommandError

from carto_concertation.opendata.catalogue.files import OpenFileError, open_files_refresh


class Command(BaseCommand):
    help = (
        "Write the open files of every dataset of every territory now (GeoJSON, CSV, "
        "GeoPackage, FlatGeobuf for the large ones), as beat does nightly and after an "
        "import; unchanged datasets keep their files and dates. Served at "
        "/donnees/<siren>/<collection>.<format> and listed by the DCAT catalogue."
    )

    def handle(self, *args, **options) -> None:
        try:
            written = open_files_refresh()
        except OpenFileError as error:
            raise CommandError(f"the open files could not be written: {error}") from error
        for done in written:
            if done.features or done.changed:
                state = "written" if done.changed else "unchanged"
                formats = ", ".join(done.formats) or "removed"
                self.stdout.write(
                    f"{done.siren} {done.collection}: {done.features} features, {state} ({formats})"
                )
