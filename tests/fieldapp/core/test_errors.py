"""The one-line messages of the core's errors."""

from __future__ import annotations

from fieldapp.core.errors import ValidationFailedError
from shared.validation import Issue, Severity


def test_several_errors_read_as_sentences_without_doubled_punctuation() -> None:
    issues = [
        Issue("volume_negative", "oil_bbl", Severity.ERROR, "Oil -5 bbl is negative."),
        Issue("hours_range", "hours_on", Severity.ERROR, "Hours on 30 h is more than 24 h"),
        Issue("hours_sum", "hours_on", Severity.WARNING, "Hours do not add up."),
    ]
    message = str(ValidationFailedError(issues))
    assert message == "oil_bbl: Oil -5 bbl is negative. hours_on: Hours on 30 h is more than 24 h."
    assert ".;" not in message


def test_warnings_alone_are_listed_when_there_is_no_error() -> None:
    issues = [Issue("hours_sum", "hours_on", Severity.WARNING, "Hours do not add up.")]
    assert str(ValidationFailedError(issues)) == "hours_on: Hours do not add up."
