# SPDX-License-Identifier: AGPL-3.0-or-later
"""The .pb parser and writer, without the database: the shared real files parse, each
fault Pabulib's checker refuses is refused on its line, files as other tools write them
are read, and what we write pabutools reads, its greedy choosing our winners."""

import random

import pytest
from pabutools.election import Cost_Sat
from pabutools.election.pabulib import parse_pabulib_from_string
from pabutools.rules import greedy_utilitarian_welfare

from carto_concertation.budgets.counting import count
from carto_concertation.budgets.pabulib import PabulibError, parse, write

from .pabulib_cases import APPROVAL, BAD_FILES, CUMULATIVE, NOT_UTF8, SHARED_FILES


def test_there_are_shared_files_of_each_vote_type():
    types = {parse(path.read_bytes()).vote_type for path in SHARED_FILES}
    assert types == {"approval", "cumulative", "ordinal"}


@pytest.mark.parametrize("path", SHARED_FILES, ids=lambda p: p.stem)
def test_a_real_file_parses_and_survives_our_writer(path):
    pb = parse(path.read_bytes())
    election = pb.election()
    assert len(election.projects) == int(pb.meta["num_projects"])
    assert len(election.ballots) == int(pb.meta["num_votes"])
    assert election.budget == int(pb.meta["budget"])
    assert parse(write(pb)).election() == election


@pytest.mark.parametrize(
    ("case", "text", "line", "reason"), BAD_FILES, ids=[c[0] for c in BAD_FILES]
)
def test_a_fault_is_refused_on_its_line(case, text, line, reason):
    with pytest.raises(PabulibError) as caught:
        parse(text)
    assert caught.value.line == line, caught.value
    assert reason in caught.value.reason
    assert str(caught.value).startswith(f"line {line}: ")


def test_a_file_not_utf8_is_refused_on_the_line_of_its_first_bad_byte():
    with pytest.raises(PabulibError) as caught:
        parse(NOT_UTF8)
    assert caught.value.line == 12
    assert "not UTF-8" in caught.value.reason


def test_files_as_other_tools_write_them_read_the_same():
    # A byte order mark, CRLF, a trailing ";" on every row, a quoted name holding a ";",
    # blank lines between sections and at the end.
    quirky = APPROVAL.replace("Un jardin", '"Un jardin; partagé"')
    lines = [line + ";" if ";" in line else line for line in quirky.splitlines()]
    lines.insert(lines.index("PROJECTS"), "")
    text = "\ufeff" + "\r\n".join(lines) + "\r\n\r\n\r\n"
    pb = parse(text.encode("utf-8"))
    assert pb.meta["budget"] == "1000"
    assert [row["name"] for row in pb.projects] == ["Des bancs", "Un jardin; partagé", "Des arbres"]
    plain = parse(APPROVAL).election()
    assert pb.election().ballots == plain.ballots
    assert [p.cost for p in pb.election().projects] == [p.cost for p in plain.projects]


def test_the_points_of_a_cumulative_file_follow_its_votes():
    election = parse(CUMULATIVE).election()
    assert election.ballots[0].projects == ("1", "2")
    assert election.ballots[0].points == (2, 2)


def test_a_name_with_a_line_break_is_written_on_one_line():
    pb = parse(APPROVAL)
    pb.projects[0]["name"] = "Des bancs\npour tous"
    again = parse(write(pb))
    assert again.projects[0]["name"] == "Des bancs pour tous"


@pytest.mark.parametrize("path", SHARED_FILES, ids=lambda p: p.stem)
def test_pabutools_reads_what_we_write(path):
    pb = parse(path.read_bytes())
    instance, profile = parse_pabulib_from_string(write(pb))
    assert instance.budget_limit == int(pb.meta["budget"])
    assert sorted(p.name for p in instance) == sorted(row["project_id"] for row in pb.projects)
    assert len(profile) == len(pb.votes)


@pytest.mark.parametrize(
    "path",
    [p for p in SHARED_FILES if parse(p.read_bytes()).vote_type == "approval"],
    ids=lambda p: p.stem,
)
def test_pabutools_greedy_chooses_our_greedy_winners(path):
    # Greedy by votes: pabutools' greedy welfare with cost satisfaction divides each
    # project's cost-weighted approvals by its cost, which is its number of votes.
    pb = parse(path.read_bytes())
    instance, profile = parse_pabulib_from_string(write(pb))
    theirs = greedy_utilitarian_welfare(instance, profile, sat_class=Cost_Sat)
    assert sorted(p.name for p in theirs) == sorted(count(pb.election()).selected)


def test_mangled_files_are_refused_with_a_line_or_read_whole():
    # Random edits of valid files (seeded): the parser answers a PabulibError naming a line
    # of the file, or a file that our writer gives back unchanged; nothing else escapes.
    rnd = random.Random(19)  # noqa: S311  (a seeded fuzz, not a secret)
    pieces = [";", ",", "\n", '"', "0", "-1", "1.5", "x", "\ufeff", "VOTES", "é", "1e999", "nan"]
    bases = [APPROVAL, CUMULATIVE, APPROVAL.replace("approval", "ordinal")]
    for _ in range(3000):
        text = rnd.choice(bases)
        for _ in range(rnd.randint(1, 3)):
            at = rnd.randrange(len(text) + 1)
            if rnd.random() < 0.5:
                text = text[:at] + rnd.choice(pieces) + text[at:]
            else:
                text = text[:at] + text[at + rnd.randint(1, 4) :]
        try:
            pb = parse(text)
        except PabulibError as error:
            assert 1 <= error.line <= text.count("\n") + 2, (error, text)
            continue
        assert parse(write(pb)).election() == pb.election()
