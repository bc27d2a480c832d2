# SPDX-License-Identifier: AGPL-3.0-or-later
"""What each size holds: the numbers the generator lays out (part of its digest)."""

from dataclasses import dataclass

COPIES = 4  # demo copies per side of an EPCI
GRID_COLUMNS = 22
EPCI_STEP = (50_500, 40_000)  # metres between EPCI, Lambert-93
COPY_STEP = (12_600, 9_800)  # metres between demo copies inside one EPCI
ORIGIN = (100_000, 6_060_000)  # south-west of metropolitan France, Lambert-93
DEMO_ORIGIN = (680_000, 6_625_000)  # south-west of the demo territory's extent
RESIDENTS = 2_000
CONTRIBUTIONS = 17_500
REPORTS = 5_300
HEAVY_CONTRIBUTIONS = 1_000
HEAVY_EMAIL = "bench-heavy@example.org"


def epci_idurba(e: int) -> str:
    """The IDURBA of the e-th synthetic EPCI's PLUi (its SIREN is 2 and e on 8 digits)."""
    return f"2{e:08d}_PLUI_20240101"


@dataclass(frozen=True)
class Size:
    name: str
    epci: int
    participation: bool


SIZES = {
    "x1": Size("x1", 6, True),
    "x10": Size("x10", 57, True),
    "x100": Size("x100", 566, False),
}
