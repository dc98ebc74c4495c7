"""The field-level merge decision (sync_server/services/merge.py, docs/sync-protocol.md conflicts):
pure."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sync_server.services.merge import POLICIES, Decision, changed_since, decide

# no example database: keep the working tree free of .hypothesis/ directories
props = settings(database=None, deadline=None)

CURRENT = {"oil_bbl": 100.0, "gas_mcf": 120.0, "water_bbl": 30.0, "notes": ""}


def test_values_that_already_stand_are_a_noop_even_against_an_old_base() -> None:
    for policy in POLICIES:
        same = decide(CURRENT, 5, 1, {"oil_bbl": 100.0, "notes": ""}, {"oil_bbl"}, policy)
        assert same == Decision()
        assert same.noop and not same.conflict and not same.merged
    assert decide(CURRENT, 5, 5, {}, set(), "last_write_wins").noop


def test_a_change_against_the_current_version_applies_without_a_merge_flag() -> None:
    # since_base is what the caller read; against the current version nothing can overlap
    d = decide(CURRENT, 3, 3, {"oil_bbl": 90.0, "gas_mcf": 120.0}, {"oil_bbl"}, "manual")
    assert d.write == {"oil_bbl": 90.0}  # gas already stands
    assert (d.overlap, d.mine, d.theirs, d.merged) == ((), {}, {}, False)
    assert not d.conflict and not d.noop


def test_a_stale_base_with_disjoint_fields_merges() -> None:
    for policy in POLICIES:
        d = decide(CURRENT, 3, 1, {"notes": "gauged"}, {"oil_bbl", "gas_mcf"}, policy)
        assert d.write == {"notes": "gauged"}
        assert d.merged is True
        assert not d.conflict


def test_a_field_whose_value_already_stands_does_not_make_a_conflict() -> None:
    # the server changed oil since the base, to the very value this change sets: only the
    # water is a change, and it does not overlap
    d = decide(CURRENT, 3, 1, {"oil_bbl": 100.0, "water_bbl": 35.0}, {"oil_bbl"}, "manual")
    assert d.write == {"water_bbl": 35.0}
    assert (d.overlap, d.merged) == ((), True)


def test_overlap_under_last_write_wins_writes_mine_and_records_both_sides() -> None:
    changes = {"oil_bbl": 111.0, "notes": "mine"}
    d = decide(CURRENT, 3, 1, changes, {"oil_bbl", "gas_mcf"}, "last_write_wins")
    assert d.write == changes
    assert d.overlap == ("oil_bbl",)
    assert (d.mine, d.theirs) == ({"oil_bbl": 111.0}, {"oil_bbl": 100.0})
    assert d.conflict and not d.merged and not d.noop


def test_overlap_under_manual_writes_only_the_fields_that_do_not_overlap() -> None:
    changes = {"oil_bbl": 111.0, "water_bbl": 44.0, "notes": "mine"}
    d = decide(CURRENT, 4, 2, changes, {"oil_bbl", "water_bbl"}, "manual")
    assert d.write == {"notes": "mine"}
    assert d.overlap == ("oil_bbl", "water_bbl")  # sorted
    assert d.mine == {"oil_bbl": 111.0, "water_bbl": 44.0}
    assert d.theirs == {"oil_bbl": 100.0, "water_bbl": 30.0}
    assert d.conflict and not d.merged


def test_manual_overlap_of_every_field_writes_nothing_but_is_still_a_conflict() -> None:
    d = decide(CURRENT, 2, 1, {"oil_bbl": 1.0}, {"oil_bbl"}, "manual")
    assert d.write == {}
    assert d.conflict and not d.noop


def test_a_field_new_to_the_record_compares_against_none() -> None:
    d = decide({"status": "operational"}, 2, 1, {"notes": "x"}, {"notes"}, "last_write_wins")
    assert d.overlap == ("notes",)
    assert d.theirs == {"notes": None}


def test_changed_since_counts_only_the_versions_after_the_base() -> None:
    history = [(1, ("oil_bbl", "gas_mcf")), (2, ("notes",)), (3, ("water_bbl",)), (4, ())]
    assert changed_since(history, 0) == {"oil_bbl", "gas_mcf", "notes", "water_bbl"}
    assert changed_since(history, 1) == {"notes", "water_bbl"}
    assert changed_since(history, 2) == {"water_bbl"}
    assert changed_since(history, 3) == set()
    assert changed_since(history, 9) == set()
    assert changed_since([], 0) == set()
    assert changed_since(iter([(5, iter(["a"]))]), 4) == {"a"}  # any iterables


@pytest.mark.parametrize("policy", POLICIES)
def test_the_same_decision_whatever_order_the_history_comes_in(policy: str) -> None:
    history = [(3, ("oil_bbl",)), (2, ("notes",))]
    forwards = decide(CURRENT, 3, 1, {"oil_bbl": 5.0}, changed_since(history, 1), policy)
    backwards = decide(CURRENT, 3, 1, {"oil_bbl": 5.0}, changed_since(history[::-1], 1), policy)
    assert forwards == backwards and forwards.overlap == ("oil_bbl",)


# --- properties ---------------------------------------------------------------------------------

FIELDS = ("oil_bbl", "gas_mcf", "water_bbl", "hours_on", "notes")
values = st.one_of(st.none(), st.integers(-3, 3), st.sampled_from(["", "a", "b"]))
records = st.dictionaries(st.sampled_from(FIELDS), values)
changesets = st.dictionaries(st.sampled_from(FIELDS), values)
field_sets = st.sets(st.sampled_from(FIELDS))


@st.composite
def situations(draw: Any) -> tuple[dict[str, Any], int, int, dict[str, Any], set[str], str]:
    current_version = draw(st.integers(1, 6))
    base = draw(st.integers(0, current_version))
    return (
        draw(records),
        current_version,
        base,
        draw(changesets),
        draw(field_sets),
        draw(st.sampled_from(POLICIES)),
    )


@props
@given(situations())
def test_property_only_real_changes_are_written_and_never_a_noop_with_a_write(
    case: tuple[dict[str, Any], int, int, dict[str, Any], set[str], str],
) -> None:
    current, version, base, changes, since, policy = case
    d = decide(current, version, base, changes, since, policy)
    real = {k for k, v in changes.items() if current.get(k) != v}
    assert set(d.write) <= real
    assert all(d.write[k] == changes[k] for k in d.write)
    assert set(d.overlap) <= real & since
    assert set(d.mine) == set(d.theirs) == set(d.overlap)
    assert all(d.mine[k] == changes[k] and d.theirs[k] == current.get(k) for k in d.overlap)
    assert not (d.merged and d.conflict)
    assert d.noop == (not real)
    if base == version:  # made against what stands: applied as it is
        assert (d.write, d.overlap, d.merged) == ({k: changes[k] for k in real}, (), False)


@props
@given(situations())
def test_property_policies_differ_only_in_what_is_written_for_the_overlap(
    case: tuple[dict[str, Any], int, int, dict[str, Any], set[str], str],
) -> None:
    current, version, base, changes, since, _ = case
    lww = decide(current, version, base, changes, since, "last_write_wins")
    manual = decide(current, version, base, changes, since, "manual")
    assert not set(manual.write) & set(manual.overlap)  # the server value stays
    assert set(lww.overlap) <= set(lww.write)  # the incoming value stands
    assert set(manual.write) | set(manual.overlap) == set(lww.write)
    assert (lww.overlap, lww.mine, lww.theirs, lww.merged) == (
        manual.overlap,
        manual.mine,
        manual.theirs,
        manual.merged,
    )
