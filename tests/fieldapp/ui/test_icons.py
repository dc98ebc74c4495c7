"""The spin and drop-down arrows: shipped files, nothing written, drawn in the sunlight theme."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QApplication, QComboBox, QSpinBox, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from fieldapp.ui import icons, theme

ROOT = Path(__file__).resolve().parents[3]
FRAMED = [spec for spec in theme.THEMES.values() if spec.border_px]

# Imports the theme, then themes a window with a drop-down and a spin box in every theme and
# draws it: what a first use of the arrows does. Prints what TMPDIR held after the import and
# after that use (before exit: a folder removed at exit would hide a write), and the files the
# sunlight sheet names.
FIRST_USE = """
import json, os, sys
from pathlib import Path
tmp = Path(os.environ["TMPDIR"])
from fieldapp.ui import theme
after_import = sorted(p.name for p in tmp.iterdir())
from PySide6.QtWidgets import QApplication, QComboBox, QSpinBox, QVBoxLayout, QWidget
app = QApplication([])
theme.apply_to_application(app)
window = QWidget()
layout = QVBoxLayout(window)
layout.addWidget(QComboBox())
layout.addWidget(QSpinBox())
theme.apply_to_window(window)
for look in theme.THEMES:
    theme.set_theme(look)
    window.show()
    app.processEvents()
    window.grab()
after_use = sorted(p.name for p in tmp.iterdir())
sheet = theme.style_sheet("sunlight")
urls = [part.split(")")[0] for part in sheet.split("url(")[1:]]
print(json.dumps({"after_import": after_import, "after_use": after_use, "urls": urls}))
"""


def test_importing_and_using_the_theme_writes_no_file(tmp_path: Path) -> None:
    tmp, runtime = tmp_path / "tmp", tmp_path / "runtime"
    tmp.mkdir()
    runtime.mkdir(mode=0o700)  # else Qt makes its runtime folder under TMPDIR
    shipped = sorted(icons.FOLDER.iterdir())
    env = os.environ | {
        "TMPDIR": str(tmp),
        "XDG_RUNTIME_DIR": str(runtime),
        "QT_QPA_PLATFORM": "offscreen",
        "PYTHONPATH": str(ROOT),
    }
    out = subprocess.run(
        [sys.executable, "-c", FIRST_USE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    seen = json.loads(out.stdout.strip().splitlines()[-1])
    assert seen["after_import"] == []
    assert seen["after_use"] == []  # nor after drawing both themes' arrows
    assert sorted(tmp.iterdir()) == []
    assert sorted(icons.FOLDER.iterdir()) == shipped
    assert len(seen["urls"]) == 2
    for url in seen["urls"]:
        assert Path(url).parent == icons.FOLDER
        assert Path(url).is_file()


@pytest.mark.parametrize("spec", FRAMED, ids=lambda spec: spec.name)
@pytest.mark.parametrize("direction", icons.DIRECTIONS)
def test_every_framed_theme_has_its_arrows_in_its_ink(
    qapp: QApplication, direction: str, spec: theme.ThemeSpec
) -> None:
    path = Path(icons.arrow(direction, spec.ink))
    assert path.read_text().strip() == icons.svg(direction, spec.ink)
    image = QPixmap(str(path))
    assert not image.isNull()
    assert (image.width(), image.height()) == (18, 12)


def test_every_shipped_file_is_an_arrow_as_svg_makes_it() -> None:
    files = sorted(icons.FOLDER.glob("*.svg"))
    assert files
    for file in files:
        _, direction, colour = file.stem.split("-")
        assert icons.arrow_path(direction, f"#{colour}") == file
        assert file.read_text().strip() == icons.svg(direction, f"#{colour}")


def test_an_arrow_not_shipped_is_refused_by_name() -> None:
    with pytest.raises(FileNotFoundError, match=r"arrow-up-123456\.svg is not shipped"):
        icons.arrow("up", "#123456")
    with pytest.raises(KeyError, match="up, down"):
        icons.arrow("left", "#000000")


def ink_pixels(widget: QWidget, left: int, top: int, right: int, bottom: int, ink: str) -> int:
    image = widget.grab().toImage()
    return sum(
        image.pixelColor(x, y).name() == ink for x in range(left, right) for y in range(top, bottom)
    )


def test_sunlight_arrows_are_drawn_on_drop_downs_and_spin_boxes(qtbot: QtBot) -> None:
    window = QWidget()
    layout = QVBoxLayout(window)
    combo, spin = QComboBox(), QSpinBox()
    combo.addItems(["Low", "Medium"])
    for widget, name in ((combo, "Severity"), (spin, "Minutes")):
        theme.size_input(widget, name)
        layout.addWidget(widget)
    theme.apply_to_window(window, "sunlight")
    qtbot.addWidget(window)
    window.resize(400, 200)
    window.show()
    qtbot.waitExposed(window)
    ink = theme.SUNLIGHT.ink

    def arrows() -> tuple[int, int, int]:
        w, h = combo.width(), combo.height()
        down = ink_pixels(combo, w - 36, h // 2 - 8, w - 8, h // 2 + 8, ink)
        w, h = spin.width(), spin.height()
        up = ink_pixels(spin, w - 30, 6, w - 8, h // 2 - 3, ink)
        lower = ink_pixels(spin, w - 30, h // 2 + 3, w - 8, h - 6, ink)
        return down, up, lower

    drawn = arrows()
    assert all(count >= 40 for count in drawn), drawn  # an 18x12 triangle is ~100 px
    window.setStyleSheet(theme.style_sheet("sunlight").replace("url(", "url(no-such-file"))
    assert arrows() == (0, 0, 0)  # so what was counted is the shipped images
