# SPDX-License-Identifier: AGPL-3.0-or-later
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from carto_concertation.territories.importers import TerritoryFileError
from carto_concertation.territories.services import territory_import


class Command(BaseCommand):
    help = (
        "Load an intercommunalité (EPCI) and its communes from a GeoJSON, shapefile, "
        "GeoPackage or zip file, in any CRS. All or nothing; run again to update."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("path", type=Path, help="file of commune polygons")
        parser.add_argument("--siren", required=True, help="SIREN of the EPCI (9 digits)")
        parser.add_argument("--name", required=True, help="name of the EPCI")
        parser.add_argument(
            "--source-srid",
            type=int,
            help="EPSG code of the file when it declares none (e.g. 2154)",
        )

    def handle(self, *args, path: Path, siren: str, name: str, source_srid: int | None, **options):
        try:
            report = territory_import(path=path, siren=siren, name=name, source_srid=source_srid)
        except TerritoryFileError as exc:
            raise CommandError(
                _("%(path)s was not loaded (nothing was written):\n  - %(errors)s")
                % {"path": path, "errors": "\n  - ".join(exc.errors)}
            ) from exc
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "%(territory)s: %(count)s communes loaded"
                    " (%(created)s new, %(updated)s updated)."
                )
                % {
                    "territory": report.territory,
                    "count": report.commune_count,
                    "created": len(report.created),
                    "updated": len(report.updated),
                }
            )
        )
        if report.detached:
            self.stdout.write(
                _("No longer in this territory: %(insee)s") % {"insee": ", ".join(report.detached)}
            )
