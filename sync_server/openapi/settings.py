"""The organization's settings: the validation thresholds devices and the server check with."""

from __future__ import annotations

from shared.thresholds import ValidationSettings, ValidationSettingsChange

from .operation import Operation, Param

OPERATIONS: tuple[Operation, ...] = (
    Operation(
        "get",
        "/api/v1/settings/validation",
        "getValidationSettings",
        "The validation thresholds in force",
        "settings",
        ValidationSettings,
        auth=True,
        etag=True,
        description=(
            "Every threshold of the caller's organization (docs/design.md §6.2), defaults"
            " included, with a strong `ETag`. Devices send the last one in `If-None-Match` with"
            " every sync and get `304 Not Modified` while nothing changed."
        ),
        params=(
            Param(
                "If-None-Match",
                {"type": "string"},
                "The ETag of the settings the caller holds: 304 when they are still current.",
                where="header",
            ),
        ),
    ),
    Operation(
        "patch",
        "/api/v1/settings/validation",
        "changeValidationSettings",
        "Change validation thresholds (admins)",
        "settings",
        ValidationSettings,
        request=ValidationSettingsChange,
        auth=True,
        roles=("admin",),
        errors=(422,),
        description=(
            "Only the settings named change; `null` puts a threshold back to its default."
            " An unknown setting or a value out of its range is a 422 naming it. Written to"
            " the audit log (`org.settings`). Answers the settings now in force."
        ),
    ),
)
