# SPDX-License-Identifier: AGPL-3.0-or-later
"""The Method of Equal Shares WITH completion on 200 projects × 100,000 approval ballots
(cost satisfaction), ours against pabutools 1.2.3 (the floor: the reference implementation,
with gmpy2 fractions) on the same generated profile, in the same run, with the SAME winners.

pabutools needs half a minute to a minute for ONE run of MES on 100,000 ballots, and its
completion (``voter_budget_increment=1``) runs MES once per euro added to the voters' share
(95 runs here: about an hour), so on the full profile:
(a) one plain MES run, ours (grouping the ballots included) vs pabutools;
(b) our Add1 + greedy (the reference's completion, ``count(rule="equalshares")``: about
ninety MES runs) and our increment + greedy (pabutools' completion), timed whole; their
time per MES run against pabutools' one run of (a), and pabutools' completion estimated as
that run times the increment's runs (printed as an estimate);
(c) the increment completion + greedy, ours vs pabutools, measured, on the largest profile
of the same making pabutools completes in about two minutes (20,000 ballots, costs / 5:
the same share per voter).
No timed assertion: the figures are printed and merged into bench-results.json.

Before gmpy2 and numpy (the same code in Fraction, voters moved one group at a time):
(a) ×7.0 (×19 alone on a quiet machine), increment + greedy on 5,000 ballots ×1.0, Add1 +
greedy on 100,000 ballots about 19 min.
"""

import random
import time
from fractions import Fraction

from pabutools.election import Cost_Sat
from pabutools.rules import (
    completion_by_rule_combination,
    greedy_utilitarian_welfare,
    method_of_equal_shares,
)

from carto_concertation.budgets.counting import (
    Ballot,
    Election,
    Project,
    build_profile,
    count,
    greedy,
    mes,
    mes_increment,
)
from carto_concertation.budgets.counting.mes import MesEngine
from tests.budgets.test_counting_oracle import to_pabutools

SEED = 19
# The largest profile whose increment completion pabutools finishes in about two minutes.
SMALL = 20_000


def generate(projects: int, ballots: int, cost_divisor: int = 1) -> Election:
    """Popularity Pareto-distributed, ballot lengths 1 + exponential (mean 4), costs
    20,000–399,000; the budget is a fifth of the projects' total."""
    rng = random.Random(SEED)  # noqa: S311 -- a reproducible profile, not a secret
    ids = [str(i) for i in range(1, projects + 1)]
    costs = [rng.randrange(20, 400) * 1000 // cost_divisor for _ in ids]
    popularity = [rng.paretovariate(1.2) for _ in ids]
    chosen_sets = []
    for _ in range(ballots):
        length = min(projects, int(rng.expovariate(1 / 4)) + 1)
        chosen: set[str] = set()
        while len(chosen) < length:
            chosen.update(rng.choices(ids, weights=popularity, k=length - len(chosen)))
        chosen_sets.append(Ballot(tuple(sorted(chosen, key=int))))
    return Election(
        budget=sum(costs) // 5,
        projects=tuple(Project(i, c) for i, c in zip(ids, costs, strict=True)),
        ballots=tuple(chosen_sets),
    )


def timed(function):
    started = time.perf_counter()
    result = function()
    return result, time.perf_counter() - started


def _pabutools_completion(instance, profile):
    return completion_by_rule_combination(
        instance,
        profile,
        [method_of_equal_shares, greedy_utilitarian_welfare],
        [{"sat_class": Cost_Sat, "voter_budget_increment": 1}, {"sat_class": Cost_Sat}],
    )


def _increment_runs(profile, run) -> int:
    """How many MES runs ``mes_increment`` made: B/n, B/n + 1, ... up to the one it kept,
    and one more when it stopped because that one exceeded the budget."""
    steps = int(run.share - Fraction(profile.budget, profile.n_voters)) + 1
    left = profile.budget - sum(profile.costs[p] for p in run.selected)
    chosen = set(run.selected)
    exhaustive = all(p in chosen or profile.costs[p] > left for p in MesEngine(profile).projects)
    return steps if exhaustive else steps + 1


def test_mes_with_completion_against_pabutools(bench_results):
    figures = {}
    election = generate(200, 100_000)
    instance, pabu_profile = to_pabutools(election)

    ours, ours_s = timed(lambda: mes(build_profile(election)).selected)
    theirs, run_s = timed(
        lambda: method_of_equal_shares(instance, pabu_profile, sat_class=Cost_Sat)
    )
    assert sorted(ours) == sorted(p.name for p in theirs)
    figures["mes_100k"] = {
        "winners": len(ours),
        "ours_s": round(ours_s, 2),
        "pabutools_s": round(run_s, 2),
        "speedup": round(run_s / ours_s, 1),
    }
    print(f"\nbudgets_mes mes_100k: {figures['mes_100k']}", flush=True)
    del instance, pabu_profile

    def add1_completed():
        profile = build_profile(election)
        outcome = count(election, rule="equalshares")
        return profile, outcome

    (profile, outcome), add1_s = timed(add1_completed)
    share_from = profile.budget // profile.n_voters
    # Shares share_from..share_to, the one over the budget, and the run explained.
    add1_runs = int(outcome.voter_share) - share_from + 3
    figures["add1_greedy_100k_ours"] = {
        "winners": len(outcome.selected),
        "share_from": share_from,
        "share_to": int(outcome.voter_share),
        "mes_runs": add1_runs,
        "ours_s": round(add1_s, 2),
        "ours_per_run_s": round(add1_s / add1_runs, 3),
        "pabutools_one_run_s": round(run_s, 2),
        "per_run_speedup": round(run_s / (add1_s / add1_runs), 1),
    }
    print(f"budgets_mes add1_greedy_100k_ours: {figures['add1_greedy_100k_ours']}", flush=True)

    def increment_completed():
        profile = build_profile(election)
        run = mes_increment(profile)
        return profile, run, greedy(profile, initial=run.selected)

    (profile, run, selected), increment_s = timed(increment_completed)
    runs = _increment_runs(profile, run)
    figures["increment_greedy_100k"] = {
        "winners": len(selected),
        "mes_runs": runs,
        "ours_s": round(increment_s, 2),
        "pabutools_estimated_s": round(run_s * runs),
        "estimated_speedup": round(run_s * runs / increment_s, 1),
    }
    print(f"budgets_mes increment_greedy_100k: {figures['increment_greedy_100k']}", flush=True)

    small = generate(200, SMALL, cost_divisor=100_000 // SMALL)
    instance, pabu_profile = to_pabutools(small)

    def ours_completed():
        small_profile = build_profile(small)
        return greedy(small_profile, initial=mes_increment(small_profile).selected)

    ours, ours_s = timed(ours_completed)
    theirs, theirs_s = timed(lambda: _pabutools_completion(instance, pabu_profile))
    assert sorted(ours) == sorted(p.name for p in theirs)
    key = f"increment_greedy_{SMALL // 1000}k"
    figures[key] = {
        "winners": len(ours),
        "ours_s": round(ours_s, 2),
        "pabutools_s": round(theirs_s, 2),
        "speedup": round(theirs_s / ours_s, 1),
    }
    print(f"budgets_mes {key}: {figures[key]}", flush=True)
    bench_results.pop("budgets_mes", None)
    bench_results["budgets_mes"] = figures
    print(f"\nbudgets_mes: {figures}")
