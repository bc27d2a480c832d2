# SPDX-License-Identifier: AGPL-3.0-or-later
"""The layouts of the platforms' exports the import reads, each told apart by its header
row (docs/crowdfunding.md names their columns and where they were read). A layout says
which columns hold the amount, the status, the date and the contributor's id, and which
statuses count a contribution or set it aside; every other column (names, e-mails,
addresses) is never read."""

import unicodedata
from dataclasses import dataclass, field


def header_key(name: str | None) -> str:
    """A column's name compared loosely: no BOM, case, accents or extra spaces."""
    text = unicodedata.normalize("NFKD", (name or "").replace("\ufeff", ""))
    text = "".join(char for char in text if not unicodedata.combining(char))
    return " ".join(text.lower().split())


@dataclass(frozen=True)
class Layout:
    name: str
    label: str
    # Logical column -> the header names it may have (compared through header_key).
    columns: dict[str, tuple[str, ...]]
    # The logical columns a file of this layout must have.
    required: tuple[str, ...]
    # Statuses that count the line, or set it aside (compared through header_key).
    counted: tuple[str, ...]
    set_aside: tuple[str, ...]
    # "1,234.50" (a comma groups thousands) rather than "1 234,50" (a decimal comma).
    comma_groups_thousands: bool = False
    aliases: dict[str, str] = field(init=False, default_factory=dict)
    outcomes: dict[str, str] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        for column, names in self.columns.items():
            for name in names:
                self.aliases[header_key(name)] = column
        for outcome, statuses in (("counted", self.counted), ("set_aside", self.set_aside)):
            for status in statuses:
                self.outcomes[header_key(status)] = outcome

    def found(self, headers: list[str]) -> dict[str, str]:
        """Logical column -> the file's header that holds it (the first one named so)."""
        found: dict[str, str] = {}
        for header in headers:
            column = self.aliases.get(header_key(header))
            if column and column not in found:
                found[column] = header
        return found

    def missing(self, headers: list[str]) -> list[str]:
        found = self.found(headers)
        return [column for column in self.required if column not in found]


# The house's own layout, for any platform: a spreadsheet's "date;montant;statut", with an
# optional column naming the contributor (a number or a pseudonym, only counted).
GENERIC = Layout(
    name="generic",
    label="date;montant;statut",
    columns={
        "date": ("date", "date de paiement", "date de la contribution", "date du paiement"),
        "amount": ("montant", "montant (€)", "montant (eur)", "montant en euros", "amount"),
        "status": ("statut", "état", "etat", "status"),
        "contributor": ("contributeur", "id contributeur", "identifiant", "contributor"),
    },
    required=("date", "amount", "status"),
    counted=(
        "payé",
        "payée",
        "validé",
        "validée",
        "confirmé",
        "confirmée",
        "réglé",
        "encaissé",
        "paid",
    ),
    set_aside=(
        "remboursé",
        "remboursée",
        "annulé",
        "annulée",
        "échoué",
        "refusé",
        "en attente",
        "refunded",
        "cancelled",
        "canceled",
        "failed",
        "pending",
    ),
)

# Kickstarter's backer report (help.kickstarter.com, "How can I use the backer report"):
# one backer a row; the columns read here are its backer's id, pledge amount and status.
KICKSTARTER = Layout(
    name="kickstarter",
    label="Kickstarter (backer report)",
    columns={
        "contributor": ("backer uid",),
        "amount": ("pledge amount",),
        "status": ("pledged status",),
    },
    required=("contributor", "amount", "status"),
    counted=("collected",),
    set_aside=("dropped", "errored", "refunded", "canceled", "cancelled"),
    comma_groups_thousands=True,
)

# Tried in this order on the header row: the first whose required columns are all there.
LAYOUTS = (KICKSTARTER, GENERIC)
