"""The table of operations the OpenAPI document is built from (sync_server/operations.py)."""

from __future__ import annotations

from sync_server.operations import OPERATIONS, TAGS


def test_every_operation_has_its_own_id_and_route() -> None:
    ids = [op.operation_id for op in OPERATIONS]
    routes = [(op.method, op.path) for op in OPERATIONS]
    assert len(set(ids)) == len(ids)
    assert len(set(routes)) == len(routes)


def test_every_operation_is_under_a_described_tag() -> None:
    assert {op.tag for op in OPERATIONS} <= set(TAGS)
    assert all(TAGS[op.tag] for op in OPERATIONS)


def test_path_parameters_are_named_in_the_path() -> None:
    for op in OPERATIONS:
        for param in op.params:
            if param.where == "path":
                assert "{" + param.name + "}" in op.path, op.operation_id
