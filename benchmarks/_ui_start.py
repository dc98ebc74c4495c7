"""Child process of bench_ui.py: start cold, print the wall-clock time when interactive.

    python benchmarks/_ui_start.py app DATA_DIR   the real app (keystore key, route loaded)
    python benchmarks/_ui_start.py baseline       a bare QApplication showing one window

"Interactive" is the main window on screen with the route's rows in its table.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path


def main() -> int:
    mode = sys.argv[1]
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

    app = QApplication(sys.argv[:1])
    if mode == "baseline":
        window = QMainWindow()
        window.setCentralWidget(QLabel("WellPulse Field"))
        window.show()
        QTimer.singleShot(0, app.quit)
        app.exec()
        print(f"interactive {time.time():.6f}", flush=True)
        return 0

    from fieldapp.core.keystore import Keystore
    from fieldapp.ui.app import AppController

    controller = AppController(Path(sys.argv[2]), Keystore())

    def check() -> None:
        window = controller.window
        if window is None or not window.isVisible():
            return
        route = window.pages["route"]
        if route.model.rowCount() > 0:  # type: ignore[attr-defined]
            print(f"interactive {time.time():.6f}", flush=True)
            poll.stop()
            controller.quit(0)
            app.quit()

    poll = QTimer()
    poll.setInterval(2)
    poll.timeout.connect(check)
    poll.start()
    QTimer.singleShot(0, controller.start)
    app.exec()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
