# SPDX-License-Identifier: AGPL-3.0-or-later
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from carto_concertation.surveys.services.transfer import questionnaire_import
from carto_concertation.territories.models import Territory
from plui_documents.models import UrbanDocument


class Command(BaseCommand):
    help = (
        "Create a draft questionnaire on a territory from a file written by "
        "export_questionnaire (or the organisers' download). The whole file is checked "
        "first; a fault is given with its JSON path, and nothing is written."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("path", type=Path, help="the questionnaire's JSON file")
        parser.add_argument(
            "--territory", required=True, help="SIREN of the territory that receives it"
        )
        parser.add_argument(
            "--zoning-document",
            help="IDURBA of the PLU/PLUi for zone questions (default: the territory's own, "
            "when it has exactly one)",
        )

    def handle(self, *args, path: Path, territory: str, **options) -> None:
        found = Territory.objects.filter(siren=territory).first()
        if found is None:
            raise CommandError(_("No territory has the SIREN %(siren)s.") % {"siren": territory})
        document = None
        if options["zoning_document"]:
            document = UrbanDocument.objects.filter(
                idurba=options["zoning_document"], territory=found
            ).first()
            if document is None:
                raise CommandError(
                    _("The territory has no PLU/PLUi %(idurba)s.")
                    % {"idurba": options["zoning_document"]}
                )
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise CommandError(
                _("Cannot read %(path)s: %(reason)s") % {"path": path, "reason": exc.strerror}
            ) from exc
        try:
            questionnaire = questionnaire_import(
                raw, territory=found, user=None, zoning_document=document
            )
        except ValidationError as error:
            raise CommandError(
                " ".join(m for ms in error.message_dict.values() for m in ms)
            ) from None
        self.stdout.write(
            self.style.SUCCESS(
                _("Draft questionnaire %(slug)s created on %(territory)s.")
                % {"slug": questionnaire.slug, "territory": found.name}
            )
        )
