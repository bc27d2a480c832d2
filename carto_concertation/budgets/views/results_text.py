# SPDX-License-Identifier: AGPL-3.0-or-later
"""The results in words, for the public page and the API: what a rule does, and why each
project won or lost, built from the explanation the count stored (services/results.py)."""

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from ..models import Edition, ResultRun

# The rules' and satisfactions' names as the results' pages and API say them.
RULE_LABELS = {
    Edition.Rule.GREEDY: pgettext_lazy("budget results", "Greedy (most votes first)"),
    Edition.Rule.KNAPSACK: pgettext_lazy("budget results", "Exact knapsack"),
    Edition.Rule.EQUAL_SHARES: pgettext_lazy("budget results", "Method of Equal Shares"),
}
SATISFACTION_LABELS = {
    Edition.Satisfaction.COST: pgettext_lazy("budget results", "cost of the projects funded"),
    Edition.Satisfaction.CARDINALITY: pgettext_lazy("budget results", "number of projects funded"),
}

METHODS = {
    Edition.Rule.GREEDY: lambda: _(
        "The projects are taken in order of votes, the most voted first: each one is funded "
        "if it still fits in the money left, otherwise the next one is considered, until the "
        "envelope is spent."
    ),
    Edition.Rule.KNAPSACK: lambda: _(
        "Among all the sets of projects that fit in the envelope, the one that satisfies the "
        "voters most in all is funded."
    ),
    Edition.Rule.EQUAL_SHARES: lambda: _(
        "The envelope is shared equally between the voters: a project is funded when its "
        "supporters can pay for it together out of their shares, the project that costs "
        "each of them least first; the money left is then used by raising the shares "
        "(Add1 completion)."
    ),
}

SATISFACTIONS = {
    Edition.Satisfaction.COST: lambda: _(
        "A voter's satisfaction is the cost of the projects they chose that are funded."
    ),
    Edition.Satisfaction.CARDINALITY: lambda: _(
        "A voter's satisfaction is the number of projects they chose that are funded."
    ),
}


def euros(amount: int | float | None) -> str:
    """An amount in euros, grouped as the language writes it (cents only when there are)."""
    if amount is None:
        return ""
    decimals = 0 if float(amount).is_integer() else 2
    return f"{number_format(amount, decimals, force_grouping=True)}\xa0€"


def method_text(run: ResultRun) -> str:
    """What the run's rule does, in plain words, with the satisfaction when it counts."""
    text = METHODS.get(run.rule, METHODS[Edition.Rule.GREEDY])()
    approval = run.edition.ballot_type == Edition.BallotType.APPROVAL
    if run.rule != Edition.Rule.GREEDY and approval:
        text = f"{text} {SATISFACTIONS[run.satisfaction]()}"
    if run.rule == Edition.Rule.EQUAL_SHARES and run.mes_comparison:
        text = "{} {}".format(
            text,
            _("The outcome was compared with the greedy rule's and the better one was kept."),
        )
    return text


def _money(entry: dict, key: str) -> float | None:
    value = entry.get(key)
    return value["value"] if isinstance(value, dict) else None


def reason_text(entry: dict) -> str:
    """Why a project won or lost, in a sentence."""
    reason = entry.get("reason")
    cost = euros(entry.get("cost"))
    if entry.get("selected"):
        if entry.get("stage") in ("add1", "greedy_completion", "comparison"):
            return _("Funded with the money left once the rule had stopped.")
        if entry.get("step"):
            return _("Funded (chosen in position %(step)s).") % {"step": entry["step"]}
        return _("Funded.")
    if reason == "no_room":
        return _("It no longer fitted in the remaining envelope (%(left)s left for %(cost)s).") % {
            "left": euros(entry.get("left")),
            "cost": cost,
        }
    if reason == "supporters_short":
        return _("Its supporters only had %(left)s left for a cost of %(cost)s.") % {
            "left": euros(_money(entry, "supporters_money_left")),
            "cost": cost,
        }
    if reason == "no_votes":
        return _("No ballot chose it.")
    if reason == "knapsack_excluded":
        return _(
            "It was not in the set of projects that satisfies the voters most within the envelope."
        )
    return _("Not funded.")


def run_projects(run: ResultRun, projects: dict) -> list[dict]:
    """The run's projects, winners first in the order bought, then the others by score:
    each with its votes, cost, outcome and the sentence saying why."""
    rows = []
    for pk, entry in run.explanations.items():
        project = projects.get(int(pk))
        rows.append(
            {
                "id": int(pk),
                "number": entry.get("number"),
                "title": project.title if project else "",
                "cost": entry.get("cost"),
                "votes": entry.get("votes"),
                "score": entry.get("score"),
                "selected": bool(entry.get("selected")),
                "step": entry.get("step"),
                "reason": entry.get("reason"),
                "explanation": reason_text(entry),
                "project": project,
            }
        )
    rows.sort(
        key=lambda row: (
            not row["selected"],
            row["step"] or 0,
            -(row["score"] or 0),
            row["number"] or 0,
        )
    )
    return rows
