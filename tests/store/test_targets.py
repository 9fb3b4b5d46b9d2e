"""KPI targets: the shipped list until the first edit, which copies it into the database;
edits checked (context KPIs, units, ranges) and audited; the way back to the shipped list."""

import math

import pandas as pd
import pytest

from flightdeck import access
from flightdeck.engine.catalogue import catalogue
from flightdeck.reference import load_reference
from flightdeck.store import connection, targets
from helpers.store import FailingCommit, audit_rows

ANALYST = access.User("ana", "analyst")
VIEWER = access.User("vic", "viewer")
FORCE = "demo-northmoor"


def _shipped() -> pd.DataFrame:
    return load_reference().targets


def _customised(con) -> bool:
    return con.execute("SELECT count(*) FROM kpi_targets_state").fetchone()[0] > 0


def test_the_shipped_targets_are_for_synthetic_forces_only_and_all_pass_the_checks():
    shipped = _shipped()
    assert list(shipped.columns) == ["force", "kpi_id", "target", "source"]
    assert len(shipped) >= 4
    assert set(shipped["force"]) <= load_reference().synthetic_force_ids
    assert set(shipped["source"]) == {"synthetic demo target"}
    assert not shipped.duplicated(["force", "kpi_id"]).any()
    for row in shipped.itertuples():
        assert targets.target_problem(row.force, row.kpi_id, row.target) is None, row
    assert {"K02", "K03", "K09", "K16"} <= set(shipped["kpi_id"])


def test_until_the_first_edit_the_shipped_targets_are_read(store):
    shipped = _shipped().sort_values(["force", "kpi_id"]).reset_index(drop=True)
    pd.testing.assert_frame_equal(targets.all_targets(store), shipped)
    mine = targets.targets_for(store, FORCE)
    listed = shipped[shipped["force"] == FORCE]
    assert mine == dict(zip(listed["kpi_id"], listed["target"], strict=True))
    assert all(isinstance(v, float) for v in mine.values())
    assert targets.targets_for(store, "cheshire") == {}
    assert not _customised(store)


def test_the_first_edit_copies_the_shipped_targets_in_and_is_audited(tmp_path):
    db = tmp_path / "targets.duckdb"
    con = connection.connect(db)
    message = targets.save_target(con, "cheshire", "K02", 0.2, user=ANALYST, source="Plan 2025/26")
    assert message == "Target for K02 saved."
    assert _customised(con)
    row = audit_rows(con).iloc[0]
    assert (row["user_name"], row["action"], row["outcome"]) == (ANALYST.name, "edit_targets", "ok")
    con.close()

    with connection.connect(db) as fresh:  # kept in the file
        frame = targets.all_targets(fresh)
        stored = fresh.execute("SELECT count(*) FROM kpi_targets").fetchone()[0]
    assert stored == len(_shipped()) + 1
    cheshire = frame[frame["force"] == "cheshire"].iloc[0]
    assert (cheshire["kpi_id"], cheshire["target"], cheshire["source"]) == (
        "K02",
        0.2,
        "Plan 2025/26",
    )
    shipped_mine = _shipped()[_shipped()["force"] == FORCE]
    kept = frame[frame["force"] == FORCE]
    assert sorted(kept["kpi_id"]) == sorted(shipped_mine["kpi_id"])


def test_a_later_edit_replaces_and_a_blank_source_says_who_set_it(store):
    targets.save_target(store, FORCE, "K02", 0.12, user=ANALYST)
    targets.save_target(store, FORCE, "K02", 0.15, user=ANALYST)
    frame = targets.all_targets(store)
    mine = frame[(frame["force"] == FORCE) & (frame["kpi_id"] == "K02")]
    assert list(mine["target"]) == [0.15]
    assert mine["source"].iloc[0].startswith(f"set by {ANALYST.name} on ")


def test_remove_then_reset_goes_back_to_the_shipped_list(store):
    assert "K03" in targets.targets_for(store, FORCE)
    assert targets.remove_target(store, FORCE, "K03", user=ANALYST) == "Target for K03 removed."
    assert "K03" not in targets.targets_for(store, FORCE)
    assert "K02" in targets.targets_for(store, FORCE)  # the rest of the shipped list stays
    with pytest.raises(ValueError, match="no target for K03"):
        targets.remove_target(store, FORCE, "K03", user=ANALYST)
    assert targets.reset_targets(store, user=ANALYST) == "Targets are back to the shipped list."
    assert not _customised(store)
    assert store.execute("SELECT count(*) FROM kpi_targets").fetchone() == (0,)
    assert "K03" in targets.targets_for(store, FORCE)
    audited = audit_rows(store)
    assert list(audited["action"]) == ["edit_targets"] * 3
    assert list(audited["outcome"]) == ["ok", "refused", "ok"]
    assert audited["detail"].iloc[0] == "reset to shipped targets"


def test_a_viewer_is_refused_every_edit_and_each_refusal_is_audited(store):
    for edit in (
        lambda: targets.save_target(store, FORCE, "K02", 0.2, user=VIEWER),
        lambda: targets.remove_target(store, FORCE, "K02", user=VIEWER),
        lambda: targets.reset_targets(store, user=VIEWER),
    ):
        with pytest.raises(access.PermissionDenied):
            edit()
    assert not _customised(store)
    audited = audit_rows(store)
    assert list(audited["outcome"]) == ["refused"] * 3
    assert set(audited["user_name"]) == {VIEWER.name}


@pytest.mark.parametrize("kpi_id", [k.id for k in catalogue() if k.direction == "neutral"])
def test_a_context_kpi_takes_no_target(store, kpi_id):
    with pytest.raises(ValueError, match="context measure .* no assurance verdict"):
        targets.save_target(store, FORCE, kpi_id, 10, user=ANALYST)
    assert not _customised(store)
    assert audit_rows(store)["outcome"].iloc[0] == "refused"


@pytest.mark.parametrize(
    ("force", "kpi_id", "target", "why"),
    [
        (FORCE, "K02", 1.5, "between 0% and 100%"),
        (FORCE, "K02", -0.01, "between 0% and 100%"),
        (FORCE, "K09", -1, "below 0"),
        (FORCE, "K14", -3, "below 0"),
        (FORCE, "K09", math.nan, "finite"),
        (FORCE, "K21", math.inf, "finite"),
        (FORCE, "K02", "0.5", "a number"),
        (FORCE, "K02", True, "a number"),
        (FORCE, "K02", None, "a number"),
        ("atlantis", "K02", 0.5, "unknown force"),
        (FORCE, "K99", 0.5, "unknown KPI"),
    ],
)
def test_a_target_out_of_range_or_for_nothing_known_is_refused_and_audited(
    store, force, kpi_id, target, why
):
    with pytest.raises(ValueError, match=why):
        targets.save_target(store, force, kpi_id, target, user=ANALYST)
    assert not _customised(store)
    row = audit_rows(store).iloc[0]
    assert (row["action"], row["outcome"]) == ("edit_targets", "refused")


def test_targets_in_the_kpis_own_units_are_kept():
    # K21 is a rate of cases per investigator, not a fraction: 25 is a fair target.
    assert targets.target_problem(FORCE, "K21", 25.0) is None
    assert targets.target_problem(FORCE, "K09", 14) is None  # days
    assert targets.target_problem(FORCE, "K14", 3) is None  # a count
    assert targets.target_problem(FORCE, "K02", 1) is None  # 100%


def test_a_source_that_could_name_someone_is_refused(store):
    with pytest.raises(ValueError, match="the source seems to hold an email address"):
        targets.save_target(store, FORCE, "K02", 0.2, user=ANALYST, source="ask a@b.example")
    assert not _customised(store)


def test_a_first_edit_whose_commit_fails_leaves_the_shipped_list(store):
    with pytest.raises(OSError):
        targets.save_target(FailingCommit(store), FORCE, "K02", 0.3, user=ANALYST)
    assert not _customised(store)
    assert store.execute("SELECT count(*) FROM kpi_targets").fetchone() == (0,)
    assert audit_rows(store)["outcome"].iloc[0] == "failed"
