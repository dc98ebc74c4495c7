"""The two themes' colours: every text colour readable in sunlight (7:1, WCAG AAA)."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor, QPalette

from fieldapp.ui import palette, theme
from fieldapp.ui.contrast import contrast_ratio

THEME_NAMES = list(theme.THEMES)


def contrast(ink: str, paper: str) -> float:
    return contrast_ratio(ink, paper)


@pytest.mark.parametrize(
    ("ink", "paper"),
    [
        (theme.INK, theme.PAPER),
        (theme.ERROR_INK, theme.ERROR_PAPER),
        (theme.WARNING_INK, theme.WARNING_PAPER),
        (theme.RECORDED_INK, theme.RECORDED_PAPER),
        (theme.INK, theme.OFFLINE_PAPER),  # the status bar's "Offline"
        (theme.PAPER, theme.ACCENT),  # selected rows and the Save button
    ],
)
def test_colour_pairs_are_readable_in_sunlight(ink: str, paper: str) -> None:
    assert contrast(ink, paper) >= 7.0


@pytest.mark.parametrize(
    ("look", "what", "ink", "paper"),
    [(name, *pair) for name in THEME_NAMES for pair in theme.colour_pairs(name)],
    ids=lambda value: str(value),
)
def test_every_text_colour_of_both_themes_reaches_7_to_1(
    look: str, what: str, ink: str, paper: str
) -> None:
    assert contrast_ratio(ink, paper) >= 7.0, f"{look}: {what} {ink} on {paper}"


def test_a_theme_is_found_by_name_and_an_unknown_one_is_refused() -> None:
    assert palette.theme_named("sunlight") is palette.SUNLIGHT
    with pytest.raises(KeyError, match="standard, sunlight"):
        palette.theme_named("night")
    with pytest.raises(KeyError, match="standard, sunlight"):
        palette.colour_pairs("night")


@pytest.mark.parametrize("look", THEME_NAMES)
def test_the_qt_palette_paints_with_the_theme_colours(look: str) -> None:
    spec = palette.theme_named(look)
    made = palette.qt_palette(spec)
    role, disabled = QPalette.ColorRole, QPalette.ColorGroup.Disabled
    assert made.color(role.Window) == QColor(spec.window)
    assert made.color(role.Text) == QColor(spec.ink)
    assert made.color(role.Highlight) == QColor(spec.accent)
    assert made.color(disabled, role.Text) == QColor(spec.disabled_ink)
    assert made.color(disabled, role.Button) == QColor(spec.disabled_paper)
