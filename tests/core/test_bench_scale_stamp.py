# SPDX-License-Identifier: AGPL-3.0-or-later
"""The scale bench's rebuild rule (tests/bench/scale/build/stamp.py), here because the
bench itself runs only in ``make bench``: a new migration or a change of a derived step
must not cost the 25-minute rebuild of the three sizes."""

from dataclasses import replace

from tests.bench.scale.build.stamp import BUILD, MIGRATE, Stamp, to_redo, wanted

BUILT = Stamp(generator="3-aaa", size="x10", migrations="m1", derived={"generalise": "g1"})


def test_an_unchanged_database_is_kept_as_it_is():
    assert to_redo(BUILT, replace(BUILT, seconds=1.0)) == []


def test_a_new_migration_is_applied_to_the_kept_database():
    assert to_redo(BUILT, replace(BUILT, migrations="m2")) == [MIGRATE]


def test_a_changed_derived_step_is_redone_alone_after_the_migrations():
    assert to_redo(BUILT, replace(BUILT, derived={"generalise": "g2"})) == ["generalise"]
    changed = replace(BUILT, migrations="m2", derived={"generalise": "g2"})
    assert to_redo(BUILT, changed) == [MIGRATE, "generalise"]


def test_a_derived_step_added_since_the_build_is_run_alone():
    added = replace(BUILT, derived={"generalise": "g1", "cluster": "c1"})
    assert to_redo(BUILT, added) == ["cluster"]


def test_a_changed_generator_another_size_or_no_stamp_rebuild():
    assert to_redo(None, BUILT) == [BUILD]
    assert to_redo(BUILT, replace(BUILT, generator="3-bbb", migrations="m2")) == [BUILD]
    assert to_redo(BUILT, replace(BUILT, size="x1")) == [BUILD]


def test_the_migrations_are_not_part_of_the_generators_digest(tmp_path, monkeypatch):
    from tests.bench.scale.build import stamp

    before = wanted("x10")
    app = tmp_path / "app" / "migrations"
    app.mkdir(parents=True)
    (app / "0001_initial.py").write_text("")
    monkeypatch.setattr(stamp, "ROOT", tmp_path)
    after = wanted("x10")
    assert after.migrations != before.migrations
    assert (after.generator, after.derived) == (before.generator, before.derived)
