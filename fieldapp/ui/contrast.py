"""WCAG 2 contrast between two colours: how the themes prove every text colour is readable.

Both themes keep every pair of text and background colour at 7:1 or more (WCAG AAA), the
level for small text read in poor light; `theme.colour_pairs` lists the pairs and the theme
tests check each with `contrast_ratio`.
"""

from __future__ import annotations


def _luminance(colour: str) -> float:
    text = colour.lstrip("#")
    if len(text) != 6:
        raise ValueError(f"not a #rrggbb colour: {colour!r}")

    r, g, b = (int(text[i : i + 2], 16) / 255 for i in (0, 2, 4))
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in (r, g, b))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(fg: str, bg: str) -> float:
    """WCAG contrast ratio of two #rrggbb colours: 1 (same) to 21 (black on white)."""
    hi, lo = sorted((_luminance(fg), _luminance(bg)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)
