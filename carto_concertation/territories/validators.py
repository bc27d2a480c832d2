# SPDX-License-Identifier: AGPL-3.0-or-later
"""Official identifiers of French territories: INSEE commune codes and SIREN numbers."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Départements 01-19, 21-95 and 2A/2B (Corsica: no "20" since 1976), overseas 971-978,
# and the collectivités of the Pacific (984-989).
INSEE_CODE_PATTERN = r"^(?:(?:0[1-9]|1\d|2[1-9AB]|[3-8]\d|9[0-5])\d{3}|97[1-8]\d{2}|98[4-9]\d{2})$"
SIREN_PATTERN = r"^\d{9}$"

_insee_re = re.compile(INSEE_CODE_PATTERN)
_siren_re = re.compile(SIREN_PATTERN)


def is_valid_insee_code(code: str) -> bool:
    return bool(_insee_re.match(code))


def is_valid_siren(siren: str) -> bool:
    """Nine digits passing the Luhn checksum, as every SIREN does."""
    if not _siren_re.match(siren):
        return False
    total = 0
    for position, char in enumerate(reversed(siren)):
        digit = int(char) * (2 if position % 2 else 1)
        total += digit - 9 if digit > 9 else digit
    return total % 10 == 0


def validate_insee_code(value: str) -> None:
    if not is_valid_insee_code(value):
        raise ValidationError(
            _("%(value)s is not a valid INSEE commune code (5 characters, e.g. 18242 or 2A004)."),
            params={"value": value},
            code="invalid_insee",
        )


def validate_siren(value: str) -> None:
    if not is_valid_siren(value):
        raise ValidationError(
            _("%(value)s is not a valid SIREN number (9 digits with a valid checksum)."),
            params={"value": value},
            code="invalid_siren",
        )
