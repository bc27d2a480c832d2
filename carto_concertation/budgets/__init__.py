# SPDX-License-Identifier: AGPL-3.0-or-later
"""Participatory budget: editions, projects, ballots, results and the follow-up of the
winners (docs/budgets.md)."""

# The name the module registers under (its manifest), by which a territory switches it.
MODULE = "budgets"
