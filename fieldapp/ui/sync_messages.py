"""How the Sync screen's widgets say a message: a message label's text and tone, and one line
for an operation the worker refused."""

from __future__ import annotations

from pydantic import ValidationError
from PySide6.QtWidgets import QLabel

from fieldapp.ui import theme


def error_text(exc: BaseException) -> str:
    """One line for a failed operation (a pydantic error: each field and why)."""
    if isinstance(exc, ValidationError):
        return "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
    return str(exc) or type(exc).__name__


def show_message(label: QLabel, text: str, severity: str = "error") -> None:
    """Show `text` in `label` in the tone of `severity` (hidden when blank)."""
    label.setText(text)
    label.setVisible(bool(text))
    if label.property("severity") != severity:
        label.setProperty("severity", severity)
        theme.repolish(label)
