"""The arrow images of styled spin boxes and drop-downs: SVG files shipped in the package.

Once a style sheet gives a spin box's buttons or a drop-down's button a border (the sunlight
theme does, for thick frames), Qt draws no arrow on them any more: the style sheet must name an
image (`image: url(...)` on `::up-arrow` / `::down-arrow`). A style sheet can only name a file
(or a Qt resource), not bytes, and a `QProxyStyle` would not help: Qt's style-sheet style draws
those sub-controls itself, never asking the style below it. So the arrows are static files,
`fieldapp/ui/icons/arrow-<up|down>-<rrggbb>.svg`, one pair per ink colour of a framed theme,
checked into git and installed as package data (pyproject `[tool.setuptools.package-data]`).
Nothing is written at run time, on import or later.

`svg` is the single source of each file's text; the icon tests check every shipped file equals
it and every framed theme's ink has its pair. A new framed theme ink needs its two files, each
made with `python -c "from fieldapp.ui import icons; print(icons.svg('up', '#rrggbb'))"`.
"""

from __future__ import annotations

from pathlib import Path

FOLDER = Path(__file__).with_name("icons")
DIRECTIONS = ("up", "down")
_POINTS = {"up": "1,11 9,1 17,11", "down": "1,1 9,11 17,1"}


def svg(direction: str, colour: str) -> str:
    """The SVG text of an 18x12 arrow pointing `direction`, filled with `colour` (#rrggbb)."""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="18" height="12"><polygon'
        f' points="{_POINTS[direction]}" fill="{colour}"/></svg>'
    )


def arrow_path(direction: str, colour: str) -> Path:
    """Where the shipped arrow of this direction and colour is (whether it exists or not)."""
    if direction not in _POINTS:
        raise KeyError(f"unknown arrow {direction!r}; use one of {', '.join(DIRECTIONS)}")
    return FOLDER / f"arrow-{direction}-{colour.removeprefix('#').lower()}.svg"


def arrow(direction: str, colour: str) -> str:
    """The shipped arrow's file, as a style sheet `url(...)` takes it (forward slashes)."""
    path = arrow_path(direction, colour)
    if not path.is_file():
        raise FileNotFoundError(f"{path} is not shipped: a framed theme's ink needs its arrows")
    return path.as_posix()
