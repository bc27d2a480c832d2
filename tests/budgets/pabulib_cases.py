# SPDX-License-Identifier: AGPL-3.0-or-later
"""Small .pb files for the Pabulib tests: a valid approval file and a valid cumulative one,
and each fault Pabulib's checker refuses with the line it must be reported on."""

from pathlib import Path

SHARED = Path(__file__).resolve().parent.parent / "data" / "participatory-budget" / "pabulib"
SHARED_FILES = sorted(SHARED.glob("*.pb"))

# Lines: 1 META ... 6 budget, 7 vote_type, 8 PROJECTS, 9 header, 10-12 projects,
# 13 VOTES, 14 header, 15-16 votes.
APPROVAL = """META
key;value
description;Budget de test
num_projects;3
num_votes;2
budget;1000
vote_type;approval
PROJECTS
project_id;cost;name
1;400;Des bancs
2;500;Un jardin
3;300;Des arbres
VOTES
voter_id;vote
v1;1,2
v2;3
"""

# Lines: 8 max_sum_points, 9 PROJECTS, 10 header, 11-12 projects, 13 VOTES, 14 header, 15 vote.
CUMULATIVE = """META
key;value
num_projects;2
num_votes;1
budget;1000
vote_type;cumulative
max_points;3
max_sum_points;4
PROJECTS
project_id;cost
1;400
2;500
VOTES
voter_id;vote;points
v1;1,2;2,2
"""


def _drop(text: str, line: str) -> str:
    assert line + "\n" in text
    return text.replace(line + "\n", "", 1)


def _swap(text: str, old: str, new: str) -> str:
    assert old in text
    return text.replace(old, new, 1)


# (id, file text, line reported, words of the reason)
BAD_FILES = [
    ("no-votes-section", APPROVAL.split("VOTES")[0], 13, "VOTES section is missing"),
    ("no-meta-first", APPROVAL.split("PROJECTS\n", 1)[1], 1, "must start with a META section"),
    (
        "no-project-header",
        _drop(APPROVAL, "project_id;cost;name"),
        9,
        "lacks the column project_id",
    ),
    ("no-budget", _drop(APPROVAL, "budget;1000"), 1, "lacks the key budget"),
    ("no-vote-type", _drop(APPROVAL, "vote_type;approval"), 1, "lacks the key vote_type"),
    ("no-num-projects", _drop(APPROVAL, "num_projects;3"), 1, "lacks the key num_projects"),
    ("no-num-votes", _drop(APPROVAL, "num_votes;2"), 1, "lacks the key num_votes"),
    ("budget-text", _swap(APPROVAL, "budget;1000", "budget;mille"), 6, "budget must be a number"),
    ("budget-zero", _swap(APPROVAL, "budget;1000", "budget;0"), 6, "budget must be positive"),
    ("budget-negative", _swap(APPROVAL, "budget;1000", "budget;-5"), 6, "must be positive"),
    ("budget-huge", _swap(APPROVAL, "budget;1000", "budget;1e30"), 6, "budget is too large"),
    ("cost-huge", _swap(APPROVAL, "2;500;", "2;99999999999999999999;"), 11, "cost is too large"),
    ("num-votes-huge", _swap(APPROVAL, "num_votes;2", "num_votes;1e9999"), 5, "must be a number"),
    ("cost-text", _swap(APPROVAL, "1;400;", "1;cher;"), 10, "cost must be a number"),
    ("cost-zero", _swap(APPROVAL, "2;500;", "2;0;"), 11, "cost must be positive"),
    ("project-twice", _swap(APPROVAL, "3;300;", "1;300;"), 12, "project id 1 is given twice"),
    ("unknown-project", _swap(APPROVAL, "v2;3", "v2;9"), 16, "unknown project 9"),
    ("project-twice-in-vote", _swap(APPROVAL, "v1;1,2", "v1;1,1"), 15, "names a project twice"),
    ("vote-type", _swap(APPROVAL, "vote_type;approval", "vote_type;borda"), 7, "unknown vote_type"),
    ("num-projects", _swap(APPROVAL, "num_projects;3", "num_projects;4"), 4, "num_projects says 4"),
    ("num-votes", _swap(APPROVAL, "num_votes;2", "num_votes;3"), 5, "num_votes says 3"),
    ("min-length", _swap(APPROVAL, "PROJECTS\n", "min_length;2\nPROJECTS\n"), 17, "min_length"),
    ("max-length", _swap(APPROVAL, "PROJECTS\n", "max_length;1\nPROJECTS\n"), 16, "max_length"),
    ("fields", _swap(APPROVAL, "2;500;Un jardin", "2;500;Un;jardin"), 11, "4 fields"),
    ("points-count", _swap(CUMULATIVE, "v1;1,2;2,2", "v1;1,2;2"), 15, "1 points for 2 projects"),
    ("points-not-integer", _swap(CUMULATIVE, "v1;1,2;2,2", "v1;1,2;1.5,2"), 15, "whole numbers"),
    (
        "points-huge",
        _swap(
            _drop(_drop(CUMULATIVE, "max_points;3"), "max_sum_points;4"),
            "v1;1,2;2,2",
            "v1;1,2;99999,1",
        ),
        13,
        "points are too large",
    ),
    ("points-digits", _swap(CUMULATIVE, "v1;1,2;2,2", "v1;1,2;\u00b2,2"), 15, "whole numbers"),
    ("points-over-sum", _swap(CUMULATIVE, "v1;1,2;2,2", "v1;1,2;3,2"), 15, "max_sum_points"),
    ("points-over-max", _swap(CUMULATIVE, "v1;1,2;2,2", "v1;1,2;4,0"), 15, "max_points"),
    ("nul-byte", _swap(APPROVAL, "Un jardin", "Un\x00jardin"), 11, "NUL byte"),
    (
        "no-points-column",
        _swap(_swap(CUMULATIVE, "voter_id;vote;points", "voter_id;vote"), "v1;1,2;2,2", "v1;1,2"),
        15,
        "needs a points column",
    ),
]

# Not UTF-8: a Latin-1 "é" in the third project's name (line 12).
NOT_UTF8 = APPROVAL.replace("Des arbres", "Des arbres \u00e9").encode("latin-1")
