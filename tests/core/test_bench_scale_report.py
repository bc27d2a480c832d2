# SPDX-License-Identifier: AGPL-3.0-or-later
"""The scale bench's verdict (tests/bench/scale/report.py): a figure that grows past
1.3× misses its aim, but a tile that holds more features at a larger size is judged per
feature (its neighbours exist there, not at ×1)."""

from tests.bench.scale.report import table, verdict


def test_a_figure_that_grows_past_the_aim_misses_it():
    row = {"x1": 10.0, "x10": 16.0, "x10_vs_x1": 1.6}
    assert verdict("zone_lookup", row) == "**no**: grows 1.6× at x10"
    assert verdict("zone_lookup", {**row, "x10": 12.0, "x10_vs_x1": 1.2}) == "yes"


def test_a_tile_holding_more_features_is_judged_per_feature():
    row = {"x1": 30.0, "x10": 45.0, "x10_vs_x1": 1.5}
    assert verdict("tiles_zoning.z8.uncached_ms", row, {"x10_vs_x1": 1.4}) == "yes"
    assert verdict("tiles_zoning.z8.uncached_ms", row, {"x10_vs_x1": 1.1}) == (
        "**no**: grows 1.36× per feature (1.1× the features) at x10"
    )
    # Fewer features is no excuse: the raw growth stands.
    assert verdict("tiles_zoning.z8.uncached_ms", row, {"x10_vs_x1": 0.9}).startswith("**no**")


def test_the_table_shows_the_features_and_judges_with_them():
    scale = {
        "figures": {"x1": {}, "x10": {}},
        "growth": {
            "tiles_zoning.z8.uncached_ms": {"x1": 30.0, "x10": 45.0, "x10_vs_x1": 1.5},
            "tiles_zoning.z8.features": {"x1": 7000, "x10": 10000, "x10_vs_x1": 1.43},
        },
    }
    (row,) = table(scale).splitlines()[2:]
    assert "7000 / 10000" in row and row.endswith("| yes |")
