# SPDX-License-Identifier: AGPL-3.0-or-later
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from plui_documents.generalise import zoning_generalise
from plui_documents.selectors import versions_to_generalise


class Command(BaseCommand):
    help = (
        "Generalise the zoning of the document versions for the small-scale tiles (below "
        "zoom 12): the current versions imported before this existed, by default. Until "
        "then their tiles draw the zones as they are, more slowly."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "idurba", nargs="*", help="only the current versions of these documents (IDURBA)"
        )
        parser.add_argument(
            "--again",
            action="store_true",
            help="also the versions generalised already (after a change of the tolerances)",
        )

    def handle(self, *args, idurba: list[str], again: bool, **options):
        versions = versions_to_generalise(idurba=idurba, again=again)
        if idurba and not versions:
            raise CommandError(
                _("No current version to generalise for %(idurba)s.")
                % {"idurba": ", ".join(idurba)}
            )
        for version in versions:
            rows = zoning_generalise(version=version)
            self.stdout.write(
                _("%(version)s: %(rows)s generalised zones.") % {"version": version, "rows": rows}
            )
        self.stdout.write(
            self.style.SUCCESS(_("%(count)s version(s) generalised.") % {"count": len(versions)})
        )
