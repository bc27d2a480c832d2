# SPDX-License-Identifier: AGPL-3.0-or-later
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from carto_concertation.concertations.models import Concertation
from carto_concertation.contributions.exports.streams import (
    FORMATS,
    ExportError,
    export_filename,
    export_write,
)


class Command(BaseCommand):
    help = (
        "Export the public contributions of a concertation (no personal data, under the "
        "site's open-data licence) as GeoJSON, CSV with WKT, or a GeoPackage with the "
        "zoning, as GET /api/v1/concertations/<slug>/export does. The file is written whole "
        "or not at all."
    )

    # A read-only command: skip the system checks (half a second of start-up).
    requires_system_checks = []

    def add_arguments(self, parser) -> None:
        parser.add_argument("slug", help="address (slug) of the concertation")
        parser.add_argument("--format", required=True, choices=FORMATS)
        parser.add_argument(
            "--output",
            type=Path,
            help="file to write (default: <slug>-contributions.<format> here)",
        )

    def handle(self, *args, slug: str, output: Path | None, **options) -> None:
        fmt = options["format"]
        concertation = (
            Concertation.objects.select_related("territory", "plui_document")
            .filter(slug=slug)
            .first()
        )
        if concertation is None:
            raise CommandError(_("No concertation has the address %(slug)s.") % {"slug": slug})
        path = output or Path(export_filename(concertation=concertation, fmt=fmt))
        if path.is_dir():
            raise CommandError(_("%(path)s is a folder: give a file name.") % {"path": path})
        try:
            size = export_write(concertation=concertation, fmt=fmt, path=path)
        except OSError as exc:
            raise CommandError(
                _("Cannot write %(path)s: %(reason)s") % {"path": path, "reason": exc.strerror}
            ) from exc
        except ExportError as exc:
            raise CommandError(_("ogr2ogr failed: %(reason)s") % {"reason": exc}) from exc
        self.stdout.write(
            self.style.SUCCESS(
                _("%(path)s written (%(size)s bytes).") % {"path": path, "size": size}
            )
        )
