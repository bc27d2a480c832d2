# SPDX-License-Identifier: AGPL-3.0-or-later
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from carto_concertation.surveys.selectors.exports import export_questionnaire
from carto_concertation.surveys.services.exports import (
    FORMATS,
    ExportError,
    NoMapQuestion,
    export_filename,
    export_write,
)


class Command(BaseCommand):
    help = (
        "Export the submitted responses to a questionnaire, without identities, as CSV "
        "(a row per response, map answers as WKT in WGS84) or as a GeoPackage (a layer per "
        "map question, a feature per marker), as the organisers' API does. The file is "
        "written whole or not at all."
    )

    # A read-only command: skip the system checks (half a second of start-up).
    requires_system_checks = []

    def add_arguments(self, parser) -> None:
        parser.add_argument("slug", help="address (slug) of the questionnaire")
        parser.add_argument("--format", required=True, choices=FORMATS)
        parser.add_argument(
            "--output",
            type=Path,
            help="file to write (default: <slug>-reponses.<format> here)",
        )

    def handle(self, *args, slug: str, output: Path | None, **options) -> None:
        fmt = options["format"]
        questionnaire = export_questionnaire(slug)
        if questionnaire is None:
            raise CommandError(_("No questionnaire has the address %(slug)s.") % {"slug": slug})
        path = output or Path(export_filename(questionnaire=questionnaire, fmt=fmt))
        if path.is_dir():
            raise CommandError(_("%(path)s is a folder: give a file name.") % {"path": path})
        try:
            size = export_write(questionnaire=questionnaire, fmt=fmt, path=path)
        except OSError as exc:
            raise CommandError(
                _("Cannot write %(path)s: %(reason)s") % {"path": path, "reason": exc.strerror}
            ) from exc
        except NoMapQuestion as exc:
            raise CommandError(_("This questionnaire has no map question: no GeoPackage.")) from exc
        except ExportError as exc:
            raise CommandError(_("ogr2ogr failed: %(reason)s") % {"reason": exc}) from exc
        self.stdout.write(
            self.style.SUCCESS(
                _("%(path)s written (%(size)s bytes).") % {"path": path, "size": size}
            )
        )
