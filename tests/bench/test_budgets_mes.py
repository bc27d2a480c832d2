# SPDX-License-Identifier: AGPL-3.0-or-later
"""The Method of Equal Shares on 200 projects × 100,000 approval ballots (cost
satisfaction), ours against pabutools 1.2.3 (the floor: the reference implementation, with
gmpy2 fractions) on the same generated profile, in the same run, with the SAME winners.

pabutools needs about a minute for ONE run of MES on 100,000 ballots, and a completion
runs MES once per unit added to the voters' share (tens of runs), so:
(a) plain MES on the full profile, ours (grouping the ballots included) vs pabutools;
(b) the completion pabutools implements (``voter_budget_increment=1``, then greedy) on a
smaller profile of the same making (5,000 ballots, costs / 40), ours vs pabutools;
(c) our Add1 (the reference's completion, no pabutools twin) + greedy on the smaller
profile, timed alone (on the full profile it ran 95 MES, shares 83 to 178: about 19 min
on the shared machine, too long for make bench).
No timed assertion: the figures are printed and merged into bench-results.json.
"""

import random
import time

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
    greedy,
    mes,
    mes_add1,
    mes_increment,
)
from tests.budgets.test_counting_oracle import to_pabutools

SEED = 19


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


def test_mes_against_pabutools(bench_results):
    figures = {}
    election = generate(200, 100_000)
    instance, profile = to_pabutools(election)

    ours, ours_s = timed(lambda: mes(build_profile(election)).selected)
    theirs, theirs_s = timed(lambda: method_of_equal_shares(instance, profile, sat_class=Cost_Sat))
    assert sorted(ours) == sorted(p.name for p in theirs)
    figures["mes_100k"] = {
        "winners": len(ours),
        "ours_s": round(ours_s, 2),
        "pabutools_s": round(theirs_s, 2),
        "speedup": round(theirs_s / ours_s, 1),
    }
    print(f"\nbudgets_mes mes_100k: {figures['mes_100k']}", flush=True)

    small = generate(200, 5_000, cost_divisor=40)
    instance, profile = to_pabutools(small)

    def ours_completed():
        small_profile = build_profile(small)
        return greedy(small_profile, initial=mes_increment(small_profile).selected)

    ours, ours_s = timed(ours_completed)
    theirs, theirs_s = timed(
        lambda: completion_by_rule_combination(
            instance,
            profile,
            [method_of_equal_shares, greedy_utilitarian_welfare],
            [{"sat_class": Cost_Sat, "voter_budget_increment": 1}, {"sat_class": Cost_Sat}],
        )
    )
    assert sorted(ours) == sorted(p.name for p in theirs)
    figures["mes_increment_greedy_5k"] = {
        "winners": len(ours),
        "ours_s": round(ours_s, 2),
        "pabutools_s": round(theirs_s, 2),
        "speedup": round(theirs_s / ours_s, 1),
    }
    print(f"budgets_mes mes_increment_greedy_5k: {figures['mes_increment_greedy_5k']}", flush=True)

    def add1_completed():
        small_profile = build_profile(small)
        run = mes_add1(small_profile)
        return run, greedy(small_profile, initial=run.selected)

    (run, selected), add1_s = timed(add1_completed)
    figures["add1_greedy_5k_ours_only"] = {
        "winners": len(selected),
        "share_from": small.budget // len(small.ballots),
        "share_to": int(run.share),
        "ours_s": round(add1_s, 2),
    }
    bench_results["budgets_mes"] = figures
    print(f"\nbudgets_mes: {figures}")
