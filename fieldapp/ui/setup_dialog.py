"""First run: set up this laptop's store, local only or registered with a WellPulse server.

The dialog renders `StartupFlow`'s CHOOSE, CREATE_LOCAL, REGISTER and CREATING steps. It
never creates anything itself: a valid form gives an effect (`CreateLocalStore`,
`RegisterDevice`) that it emits as `effect_requested`; the app runs it on its worker and calls
`render()` again with the outcome. Errors show inline, and every typed value stays.
"""

from __future__ import annotations

from zoneinfo import available_timezones

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from fieldapp.core.startup_flow import DEFAULT_TIMEZONE, Effect, StartupFlow, Step
from fieldapp.ui import theme
from fieldapp.ui.keyboard import enter_moves_focus

HEADINGS = {
    Step.CHOOSE: "Set up WellPulse Field on this laptop",
    Step.CREATE_LOCAL: "Create a store on this laptop",
    Step.REGISTER: "Connect to a WellPulse server",
}
CHOOSE_TEXT = (
    "Your field data is kept in an encrypted store on this laptop. Connect it to your "
    "company's WellPulse server to sync, or keep it on this laptop only."
)
PASSPHRASE_TEXT = (
    "The store passphrase unlocks the data on this laptop. Keep it safe: without it the "
    "data cannot be read."
)


def _line(name: str, *, secret: bool = False, placeholder: str = "") -> QLineEdit:
    edit = QLineEdit()
    if secret:
        edit.setEchoMode(QLineEdit.EchoMode.Password)
    edit.setPlaceholderText(placeholder)
    theme.size_input(edit, name)
    return edit


def _timezone_box() -> QComboBox:
    box = QComboBox()
    box.setEditable(True)
    box.addItems(sorted(available_timezones()))
    box.setCurrentText(DEFAULT_TIMEZONE)
    box.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    theme.size_input(box, "Field time zone")
    return box


def _button(text: str, name: str, primary: bool = False) -> QPushButton:
    button = QPushButton(text)
    if primary:
        button.setObjectName("primary")
    theme.size_button(button, name)
    return button


class SetupDialog(QDialog):
    effect_requested = Signal(object)  # an Effect for the app to run on its worker

    def __init__(self, flow: StartupFlow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.flow = flow
        self.setWindowTitle("Set up WellPulse Field")
        self.setAccessibleName("Set up WellPulse Field")
        self.setModal(True)
        theme.apply_to_window(self)

        self.heading = QLabel("")
        self.heading.setObjectName("title")
        self.error = QLabel("")
        self.error.setObjectName("issues")
        self.error.setProperty("severity", "error")
        self.error.setWordWrap(True)
        self.error.setMargin(10)
        self.error.setAccessibleName("Setup error")
        self.error.hide()

        self.inputs: dict[str, QLineEdit | QComboBox] = {}
        self.pages = QStackedWidget()
        self.choose_page = self._choose_page()
        self.local_page = self._local_page()
        self.server_page = self._server_page()
        for page in (self.choose_page, self.local_page, self.server_page):
            self.pages.addWidget(page)

        self.quit_button = _button("&Quit", "Quit WellPulse Field")
        self.quit_button.setAutoDefault(False)
        self.quit_button.clicked.connect(self.reject)
        footer = QHBoxLayout()
        footer.setSpacing(theme.SPACING)
        footer.addWidget(self.quit_button)
        footer.addStretch(1)

        layout = QVBoxLayout(self)
        layout.setSpacing(theme.SPACING)
        layout.addWidget(self.heading)
        layout.addWidget(self.error)
        layout.addWidget(self.pages, 1)
        layout.addLayout(footer)
        self.setMinimumWidth(720)
        self.show_step()

    # --- pages ---------------------------------------------------------------------------

    def _choose_page(self) -> QWidget:
        page = QWidget()
        text = QLabel(CHOOSE_TEXT)
        text.setWordWrap(True)
        self.server_button = _button("Connect to a &WellPulse server", "Connect to a server", True)
        self.server_button.clicked.connect(lambda: self._act(self.flow.choose_server))
        self.local_button = _button("Use this laptop &only (no server)", "Use this laptop only")
        self.local_button.clicked.connect(lambda: self._act(self.flow.choose_local))
        for button in (self.server_button, self.local_button):
            button.setMinimumHeight(theme.BUTTON_MIN_HEIGHT + 30)
        layout = QVBoxLayout(page)
        layout.setSpacing(theme.SPACING)
        layout.addWidget(text)
        layout.addWidget(self.server_button)
        layout.addWidget(self.local_button)
        layout.addStretch(1)
        return page

    def _secret_fields(self, prefix: str, form: QFormLayout) -> list[QWidget]:
        passphrase = _line("Store passphrase", secret=True, placeholder="At least 8 characters")
        confirm = _line("Repeat the store passphrase", secret=True)
        timezone = _timezone_box()
        fields: list[tuple[str, str, QLineEdit | QComboBox]] = [
            ("passphrase", "Store &passphrase", passphrase),
            ("confirm", "&Repeat passphrase", confirm),
            ("timezone", "Field &time zone", timezone),
        ]
        for key, label, widget in fields:
            self.inputs[f"{prefix}.{key}"] = widget
            form.addRow(label, widget)
        return [passphrase, confirm, timezone]

    def _form_page(self, prefix: str, rows: list[tuple[str, str, QLineEdit]]) -> QWidget:
        page = QWidget()
        form = QFormLayout()
        form.setSpacing(theme.SPACING)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        fields: list[QWidget] = []
        for key, label, widget in rows:
            self.inputs[f"{prefix}.{key}"] = widget
            form.addRow(label, widget)
            fields.append(widget)
        note = QLabel(PASSPHRASE_TEXT)
        note.setWordWrap(True)
        form.addRow(note)
        fields += self._secret_fields(prefix, form)
        back = _button("&Back", "Back to the choice")
        back.setAutoDefault(False)
        back.clicked.connect(lambda: self._act(self.flow.back))
        local = prefix == "local"
        submit = _button(
            "&Create store" if local else "&Register this laptop",
            "Create the store" if local else "Register this laptop",
            primary=True,
        )
        submit.clicked.connect(self.submit)
        buttons = QHBoxLayout()
        buttons.setSpacing(theme.SPACING)
        buttons.addWidget(back)
        buttons.addStretch(1)
        buttons.addWidget(submit)
        layout = QVBoxLayout(page)
        layout.setSpacing(theme.SPACING)
        layout.addLayout(form)
        layout.addStretch(1)
        layout.addLayout(buttons)
        for before, after in zip([*fields, submit], [*fields[1:], submit, back], strict=True):
            QWidget.setTabOrder(before, after)
        enter_moves_focus(page)
        if local:
            self.create_button, self.local_back = submit, back
        else:
            self.register_button, self.server_back = submit, back
        return page

    def _local_page(self) -> QWidget:
        return self._form_page("local", [])

    def _server_page(self) -> QWidget:
        rows = [
            ("url", "Server &address", _line("Server address", placeholder="https://…")),
            ("org", "&Organization", _line("Organization")),
            ("username", "&User name", _line("User name")),
            ("password", "Pass&word", _line("Password", secret=True)),
        ]
        return self._form_page("server", rows)

    # --- values --------------------------------------------------------------------------

    def value(self, field: str) -> str:
        widget = self.inputs[field]
        return widget.currentText() if isinstance(widget, QComboBox) else widget.text()

    def set_value(self, field: str, text: str) -> None:
        widget = self.inputs[field]
        if isinstance(widget, QComboBox):
            widget.setCurrentText(text)
        else:
            widget.setText(text)

    # --- acting --------------------------------------------------------------------------

    def _act(self, transition: object) -> None:
        assert callable(transition)
        transition()
        self.show_step()

    def submit(self) -> None:
        """Check the form through the flow; a valid one is emitted as an effect to run."""
        effect: Effect | None
        if self.flow.step is Step.CREATE_LOCAL:
            v = [self.value(f"local.{k}") for k in ("passphrase", "confirm", "timezone")]
            effect = self.flow.submit_local(*v)
        elif self.flow.step is Step.REGISTER:
            keys = ("url", "org", "username", "password", "passphrase", "confirm", "timezone")
            effect = self.flow.submit_register(*[self.value(f"server.{k}") for k in keys])
        else:
            return
        self.show_step()
        if effect is not None:
            self.effect_requested.emit(effect)

    # --- rendering -----------------------------------------------------------------------

    def show_step(self) -> None:
        """Show the flow's step: its page, its errors, busy while the worker creates."""
        step = self.flow.step
        busy = step is Step.CREATING
        shown = step
        if busy:  # the form stays in view, greyed, while the worker creates the store
            shown = Step.REGISTER if self.flow.mode == "server" else Step.CREATE_LOCAL
        page = {Step.CREATE_LOCAL: self.local_page, Step.REGISTER: self.server_page}.get(
            shown, self.choose_page
        )
        self.pages.setCurrentWidget(page)
        self.heading.setText(HEADINGS.get(shown, HEADINGS[Step.CHOOSE]))
        self._mark_fields()
        for widget in (*self.inputs.values(), self.local_back, self.server_back):
            widget.setEnabled(not busy)
        self.create_button.setEnabled(not busy)
        self.register_button.setEnabled(not busy)
        self.create_button.setText("Creating the store…" if busy else "&Create store")
        self.register_button.setText("Registering…" if busy else "&Register this laptop")
        lines = ([self.flow.message] if self.flow.message else []) + list(self.flow.errors.values())
        self.error.setText("\n".join(lines))
        self.error.setVisible(bool(lines))
        theme.repolish(self.error)
        if not busy:
            self._focus_first(page)

    def _mark_fields(self) -> None:
        prefix = "server" if self.flow.step is Step.REGISTER else "local"
        for name, widget in self.inputs.items():
            field = name.split(".", 1)[1]
            wrong = name.startswith(prefix + ".") and field in self.flow.errors
            widget.setProperty("issue", "error" if wrong else "")
            widget.setToolTip(self.flow.errors[field] if wrong else "")
            theme.repolish(widget)

    def _focus_first(self, page: QWidget) -> None:
        prefix = {self.local_page: "local.", self.server_page: "server."}.get(page)
        if prefix is None:
            self.server_button.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        fields = [(n, w) for n, w in self.inputs.items() if n.startswith(prefix)]
        wrong = [w for n, w in fields if n.split(".", 1)[1] in self.flow.errors]
        empty = [w for n, w in fields if not self.value(n)]
        target = (wrong or empty or [fields[0][1]])[0]
        target.setFocus(Qt.FocusReason.OtherFocusReason)
