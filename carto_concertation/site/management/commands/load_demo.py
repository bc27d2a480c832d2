# SPDX-License-Identifier: AGPL-3.0-or-later
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from carto_concertation.site.demo import DEMO_ACCOUNTS, demo_load


class Command(BaseCommand):
    help = (
        "Load the demo territory (CC Les Trois Provinces, Cher) into an empty database "
        "and one account per role. Safe to run again."
    )

    def handle(self, *args, **options) -> None:
        result = demo_load()
        if result.territory_loaded:
            self.stdout.write(self.style.SUCCESS(_("Demo territory loaded.")))
        if result.plui_loaded:
            self.stdout.write(
                self.style.SUCCESS(_("Demo PLUi (zoning, prescriptions, règlement) loaded."))
            )
        elif result.territory_present:
            self.stdout.write(_("Demo territory already loaded."))
        else:
            self.stdout.write(_("Territories already present: the demo territory was not loaded."))
        for added in result.added:
            self.stdout.write(self.style.SUCCESS(added))
        self.stdout.write(_("Demo accounts (e-mail login):"))
        for account in DEMO_ACCOUNTS:
            self.stdout.write(f"  {account.role.label:<22} {account.email}")
        if result.password:
            self.stdout.write(
                _("Password of every demo account: %(password)s") % {"password": result.password}
            )
        else:
            self.stdout.write(
                _(
                    "DEBUG is off: demo accounts have no password;"
                    " set one with manage.py changepassword."
                )
            )
