# SPDX-License-Identifier: AGPL-3.0-or-later
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from carto_concertation.surveys.models import Questionnaire
from carto_concertation.surveys.services.transfer import questionnaire_export


class Command(BaseCommand):
    help = (
        "Write a questionnaire (its pages, questions, choices and conditions; no answer, no "
        "person) as the JSON file import_questionnaire reads on another instance "
        "(format carto-concertation/questionnaire, version 1; docs/surveys.md)."
    )

    requires_system_checks = []

    def add_arguments(self, parser) -> None:
        parser.add_argument("slug", help="address (slug) of the questionnaire")
        parser.add_argument(
            "--output", type=Path, help="file to write (default: the standard output)"
        )

    def handle(self, *args, slug: str, output: Path | None, **options) -> None:
        questionnaire = Questionnaire.objects.filter(slug=slug).first()
        if questionnaire is None:
            raise CommandError(_("No questionnaire has the address %(slug)s.") % {"slug": slug})
        text = questionnaire_export(questionnaire)
        if output is None:
            self.stdout.write(text, ending="")
            return
        try:
            output.write_text(text, encoding="utf-8")
        except OSError as exc:
            raise CommandError(
                _("Cannot write %(path)s: %(reason)s") % {"path": output, "reason": exc.strerror}
            ) from exc
        self.stderr.write(_("%(path)s written.") % {"path": output})
