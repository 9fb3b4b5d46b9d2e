"""Peer groups: who is compared with whom, the groups offered, and edits that change all or
nothing."""

import pandas as pd
import pytest

from flightdeck import access
from flightdeck.peers import groups

ANALYST = access.User("ana", "analyst")
GROUPS = pd.DataFrame(
    {
        "group": ["North", "North", "North", "Coast", "Coast"],
        "force": ["cheshire", "cumbria", "lancashire", "cumbria", "dorset"],
    }
)


def test_members_are_the_group_and_the_chosen_force_among_forces_with_figures():
    with_data = {"cheshire", "cumbria", "dorset", "kent"}
    # lancashire has no figures here; kent is not in North but is the chosen force.
    assert groups.members(GROUPS, "North", "kent", with_data) == ["cheshire", "cumbria", "kent"]
    assert groups.members(GROUPS, "Coast", "cumbria", with_data) == ["cumbria", "dorset"]
    assert groups.members(GROUPS, groups.ALL_WITH_DATA, "kent", with_data) == [
        "cheshire", "cumbria", "dorset", "kent",
    ]  # fmt: skip


def test_the_groups_offered_start_with_all_forces_then_the_forces_own_groups():
    assert groups.group_choices(GROUPS, "cumbria") == (
        [groups.ALL_WITH_DATA, "Coast", "North"],
        "Coast",
    )
    assert groups.group_choices(GROUPS, "kent") == (
        [groups.ALL_WITH_DATA, "Coast", "North"],
        groups.ALL_WITH_DATA,
    )


def test_the_summary_names_each_groups_forces():
    summary = groups.summary(GROUPS).set_index("group")["forces"].to_dict()
    assert summary == {
        "Coast": "Cumbria Constabulary, Dorset Police",
        "North": "Cheshire Constabulary, Cumbria Constabulary, Lancashire Constabulary",
    }


def test_a_failed_first_edit_leaves_the_shipped_groups_and_is_audited(store, monkeypatch):
    # The first edit copies the shipped groups in; a copy that fails half way (here: the same
    # member twice) must leave nothing behind, not half a customised list.
    broken = pd.DataFrame({"group": ["North", "North"], "force": ["cheshire", "cheshire"]})
    monkeypatch.setattr(groups, "peer_groups", lambda con: broken)
    with pytest.raises(Exception, match="(?i)constraint|duplicate"):
        groups.save_peer_group(store, "Mine", ["cheshire", "cumbria"], user=ANALYST)
    assert store.execute("SELECT count(*) FROM peer_group_members").fetchone() == (0,)
    assert store.execute("SELECT count(*) FROM peer_groups_state").fetchone() == (0,)
    (outcome,) = store.execute("SELECT outcome FROM audit_log").fetchone()
    assert outcome == "failed"
    monkeypatch.undo()
    groups.save_peer_group(store, "Mine", ["cheshire", "cumbria"], user=ANALYST)
    mine = groups.peer_groups(store)
    assert sorted(mine.loc[mine["group"] == "Mine", "force"]) == ["cheshire", "cumbria"]
