"""The OpenAPI 3.1 document of the server (docs/sync-protocol.md); see `document` for how to
add a route."""

from .document import OPERATIONS, build_document
from .operation import Operation, Param

__all__ = ["OPERATIONS", "Operation", "Param", "build_document"]
