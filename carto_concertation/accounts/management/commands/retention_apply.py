# SPDX-License-Identifier: AGPL-3.0-or-later
from django.core.management.base import BaseCommand

from carto_concertation.accounts.retention import retention_apply


class Command(BaseCommand):
    help = (
        "Apply the retention rules now, as beat does daily: remove the accounts never "
        "verified after RETENTION_UNVERIFIED_DAYS, warn those unused for "
        "RETENTION_INACTIVE_YEARS, erase those warned RETENTION_WARNING_DAYS ago (staff "
        "are never erased). --dry-run lists the accounts and changes nothing."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="list what would be done, change nothing"
        )

    def handle(self, *args, dry_run: bool, **options) -> None:
        report = retention_apply(dry_run=dry_run)
        if dry_run:
            self.stdout.write("Dry run: nothing was changed.")
        for label, ids in (
            ("unverified accounts removed", report.unverified_removed),
            ("inactive accounts warned", report.inactive_warned),
            ("inactive accounts erased", report.inactive_erased),
        ):
            self.stdout.write(f"{label}: {len(ids)} {' '.join(map(str, ids))}".rstrip())
        for pk, reason in report.failed:
            self.stderr.write(f"account {pk} left: {reason}")
