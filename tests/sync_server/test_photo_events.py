"""Photo captions changed and photos removed, pushed through the real app and Postgres: the
same merge and conflict rules as equipment, and every device pulls the change."""

from __future__ import annotations

from starlette.testclient import TestClient

from shared.contracts import EventType as E
from shared.events import new_id

from .test_record_events import aggregate, changes, org, photo, push1, rejected
from .test_sync_changes import pull


def test_a_caption_changes_merges_and_conflicts_like_equipment(
    client: TestClient, database_url: str
) -> None:
    _, well, a, b = org(client, database_url)
    shot = new_id()
    push1(a, E.PHOTO_ATTACHED, shot, photo("well", well))
    result = push1(a, E.PHOTO_UPDATED, shot, changes(caption="packing leak, north side"), base=1)
    assert (result["status"], result["version"]) == ("accepted", 2)
    assert aggregate(database_url, shot)[2]["caption"] == "packing leak, north side"  # type: ignore[index]
    clash = push1(b, E.PHOTO_UPDATED, shot, changes(caption="leak"), base=1)
    assert clash["status"] == "conflict"  # both changed the caption since version 1
    assert aggregate(database_url, shot)[2]["caption"] == "leak"  # type: ignore[index]
    off_contract = push1(a, E.PHOTO_UPDATED, shot, changes(sha256="00" * 32), base=3)
    rejected(database_url, off_contract, "payload")  # only the caption may change


def test_a_removed_photo_says_so_and_why_and_cannot_change_unknown_ones(
    client: TestClient, database_url: str
) -> None:
    _, well, a, b = org(client, database_url)
    shot = new_id()
    push1(a, E.PHOTO_ATTACHED, shot, photo("well", well))
    result = push1(a, E.PHOTO_REMOVED, shot, {"reason": "wrong well"}, base=1)
    assert (result["status"], result["version"]) == ("accepted", 2)
    state = aggregate(database_url, shot)[2]  # type: ignore[index]
    assert (state["removed"], state["removed_reason"], state["sha256"]) == (
        True,
        "wrong well",
        photo("well", well)["sha256"],
    )
    events = [c["data"] for c in pull(b)["changes"] if c["kind"] == "event"]
    mine = [e["event_type"] for e in events if e["aggregate_id"] == shot]
    assert mine == ["photo.attached", "photo.removed"]  # other devices pull the removal
    rejected(database_url, push1(a, E.PHOTO_REMOVED, new_id(), {}, base=1), "unknown_photo")
    rejected(
        database_url,
        push1(a, E.PHOTO_UPDATED, new_id(), changes(caption="x"), base=1),
        "unknown_photo",
    )
