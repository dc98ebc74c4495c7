"""First run and unlock as a Qt-free state machine (the Electrum wizard's pattern).

The desktop app asks the flow what to show and what to do; the flow never touches the store,
the network or a widget. Each transition returns an *effect* (open, create, register, close,
quit) that the UI runs on its worker, then reports back with `done()` or `failed(error)`:

    CHOOSE ──choose_local──▶ CREATE_LOCAL ──submit_local──▶ CREATING ──done──▶ READY
       └────choose_server──▶ REGISTER ─────submit_register─┘    └─failed─▶ back, with the error
    (a store exists) start ─▶ UNLOCKING ──done──▶ READY ──lock──▶ LOCKED ──submit_passphrase─┐
                               └─failed─▶ UNLOCK ──submit_passphrase──▶ UNLOCKING ◀──────────┘
    anything unexpected ──▶ FAILED(message)

Typed values are the UI's to keep; the flow only says which fields are wrong and why.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from fieldapp.core import database
from fieldapp.core.errors import (
    LockedError,
    StoreError,
    StoreExistsError,
    StoreNotFoundError,
    WrongKeyError,
)
from fieldapp.core.folder_swap import swap_pending
from fieldapp.core.keys import KEY_FILE_NAME, check_passphrase_strength
from fieldapp.core.store import check_timezone

DEFAULT_TIMEZONE = "America/Chicago"
PASSPHRASE_ENV = "FIELDAPP_PASSPHRASE"
WRONG_PASSPHRASE = "Wrong passphrase: the store was not opened. Try again."
ENV_PASSPHRASE_WRONG = f"The passphrase in {PASSPHRASE_ENV} did not open the store."


class Step(enum.Enum):
    CHOOSE = "choose"  # no store yet: local only, or register with a server
    CREATE_LOCAL = "create_local"
    REGISTER = "register"
    CREATING = "creating"  # the worker creates (or registers) the store
    UNLOCK = "unlock"  # the keystore gave no key: ask for the passphrase
    UNLOCKING = "unlocking"  # the worker opens the store
    READY = "ready"  # the store is open: the main window shows
    LOCKED = "locked"  # auto-locked: only the passphrase opens it again
    FAILED = "failed"  # nothing more the operator can do here; `message` says why
    QUIT = "quit"


# --- effects: what the UI runs (on its worker) after a transition ---------------------------


@dataclass(frozen=True, slots=True)
class OpenStore:
    passphrase: str | None  # None: the keystore only
    use_keystore: bool = True  # False after an auto-lock: the passphrase must be typed


@dataclass(frozen=True, slots=True)
class CreateLocalStore:
    passphrase: str
    timezone: str


@dataclass(frozen=True, slots=True)
class RegisterDevice:
    url: str
    org: str
    username: str
    password: str
    passphrase: str
    timezone: str


@dataclass(frozen=True, slots=True)
class CloseStore:
    pass


@dataclass(frozen=True, slots=True)
class Quit:
    code: int


Effect = OpenStore | CreateLocalStore | RegisterDevice | CloseStore | Quit


def store_exists(data_dir: Path) -> bool:
    """Whether the folder holds a store (or the remains of one, or a registered store waits
    beside it for a swap a crash cut short): then it is opened, not made."""
    return (
        (data_dir / KEY_FILE_NAME).exists()
        or (data_dir / database.DB_FILE_NAME).exists()
        or swap_pending(data_dir)
    )


def check_url(url: str) -> str | None:
    """Why `url` cannot be a sync server address, or None when it can."""
    if not url:
        return "Enter the server address, like https://wellpulse.example.com."
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        return "The server address must start with https:// (or http://)."
    if not parts.hostname or " " in url:
        return "The server address has no host name, like https://wellpulse.example.com."
    try:
        parts.port  # noqa: B018 - raises for a port that is not a number
    except ValueError:
        return "The port in the server address is not a number."
    return None


def _message(error: BaseException) -> str:
    return str(error) or type(error).__name__


class StartupFlow:
    """Where start-up is, what went wrong in the last step, and what to do next."""

    def __init__(self, env_passphrase: str | None = None) -> None:
        self.env_passphrase = env_passphrase or None
        self.step = Step.CHOOSE
        self.errors: dict[str, str] = {}  # field name -> what is wrong with it
        self.message = ""  # an error for the whole step (or FAILED's reason)
        self.relocked = False  # after an auto-lock only the typed passphrase unlocks
        self.mode: str | None = None  # "local" or "server" while setting up
        self._back_to = Step.UNLOCK  # where a failed open returns to
        self._env_attempt = False
        self._typed = False  # the open being tried uses a typed passphrase

    def _go(self, step: Step, message: str = "", errors: dict[str, str] | None = None) -> None:
        self.step = step
        self.message = message
        self.errors = dict(errors or {})

    def _fail(self, error: BaseException | str) -> None:
        self._go(Step.FAILED, error if isinstance(error, str) else _message(error))

    # --- start ---------------------------------------------------------------------------

    def start(self, has_store: bool) -> Effect | None:
        """No store: choose how to set one up. A store: open it without asking (keystore key,
        else the environment passphrase)."""
        if not has_store:
            self._go(Step.CHOOSE)
            return None
        self._env_attempt = self.env_passphrase is not None
        self._typed = False
        self._back_to = Step.UNLOCK
        self._go(Step.UNLOCKING)
        return OpenStore(self.env_passphrase, use_keystore=True)

    # --- setting up ----------------------------------------------------------------------

    def choose_local(self) -> None:
        self.mode = "local"
        self._go(Step.CREATE_LOCAL)

    def choose_server(self) -> None:
        self.mode = "server"
        self._go(Step.REGISTER)

    def back(self) -> None:
        if self.step in (Step.CREATE_LOCAL, Step.REGISTER):
            self.mode = None
            self._go(Step.CHOOSE)

    def _check_secret(self, passphrase: str, confirm: str, timezone: str) -> dict[str, str]:
        errors: dict[str, str] = {}
        try:
            check_passphrase_strength(passphrase)
        except StoreError as exc:
            errors["passphrase"] = f"Too short: the {exc}."
        if "passphrase" not in errors and confirm != passphrase:
            errors["confirm"] = "The two passphrases are not the same: type it again."
        try:
            check_timezone(timezone.strip())
        except StoreError:
            errors["timezone"] = (
                f"'{timezone}' is not a time zone: pick one from the list, like {DEFAULT_TIMEZONE}."
            )
        return errors

    def submit_local(self, passphrase: str, confirm: str, timezone: str) -> Effect | None:
        if self.step is not Step.CREATE_LOCAL:
            return None
        errors = self._check_secret(passphrase, confirm, timezone)
        if errors:
            self._go(Step.CREATE_LOCAL, "Nothing was created: fix the fields marked.", errors)
            return None
        self._go(Step.CREATING)
        return CreateLocalStore(passphrase, timezone.strip())

    def submit_register(
        self,
        url: str,
        org: str,
        username: str,
        password: str,
        passphrase: str,
        confirm: str,
        timezone: str,
    ) -> Effect | None:
        if self.step is not Step.REGISTER:
            return None
        url, org, username = url.strip(), org.strip(), username.strip()
        errors: dict[str, str] = {}
        if problem := check_url(url):
            errors["url"] = problem
        if not org:
            errors["org"] = "Enter your organization's short name (the office gives it)."
        if not username:
            errors["username"] = "Enter your WellPulse user name."
        if not password:
            errors["password"] = "Enter your WellPulse password."
        errors |= self._check_secret(passphrase, confirm, timezone)
        if errors:
            self._go(Step.REGISTER, "Nothing was sent: fix the fields marked.", errors)
            return None
        self._go(Step.CREATING)
        return RegisterDevice(
            url.rstrip("/"), org, username, password, passphrase, timezone.strip()
        )

    # --- unlocking -----------------------------------------------------------------------

    def submit_passphrase(self, secret: str) -> Effect | None:
        if self.step not in (Step.UNLOCK, Step.LOCKED):
            return None
        if not secret:
            self._go(self.step, "Enter the passphrase.")
            return None
        self._back_to = self.step
        self._env_attempt = False
        self._typed = True
        self._go(Step.UNLOCKING)
        return OpenStore(secret, use_keystore=not self.relocked)

    def lock(self) -> Effect | None:
        """Auto-lock: drop the key; only the typed passphrase opens the store again."""
        if self.step is not Step.READY:
            return None
        self.relocked = True
        self._go(Step.LOCKED)
        return CloseStore()

    # --- what the worker reported --------------------------------------------------------

    def done(self) -> None:
        """The store is open (created, registered or unlocked)."""
        if self.step in (Step.CREATING, Step.UNLOCKING):
            self.mode = None
            self._go(Step.READY)

    def failed(self, error: BaseException) -> None:
        """The effect of the last step failed: back to where the operator can fix it."""
        if self.step is Step.CREATING:
            self._creating_failed(error)
        elif self.step is Step.UNLOCKING:
            self._opening_failed(error)
        else:
            self._fail(error)

    def _creating_failed(self, error: BaseException) -> None:
        back = Step.REGISTER if self.mode == "server" else Step.CREATE_LOCAL
        if isinstance(error, StoreExistsError):
            self._fail(f"{error}. Start the app again to open it.")
            return
        what = "The device was not registered" if back is Step.REGISTER else "Nothing was created"
        self._go(back, f"{what}: {_message(error)}")

    def _opening_failed(self, error: BaseException) -> None:
        env_attempt, self._env_attempt = self._env_attempt, False
        back = self._back_to
        if isinstance(error, StoreNotFoundError):
            self._fail(error)
        elif isinstance(error, LockedError):  # no keystore key (and none typed): ask
            self._go(back, WRONG_PASSPHRASE if self._typed else "")
        elif isinstance(error, WrongKeyError):
            self._go(back, ENV_PASSPHRASE_WRONG if env_attempt else WRONG_PASSPHRASE)
        else:
            self._fail(error)

    # --- leaving -------------------------------------------------------------------------

    def cancel(self) -> Effect:
        """The operator quit: 0 from an auto-lock (the work was saved), else 1 (not started)."""
        code = 0 if self.relocked else 1
        self._go(Step.QUIT)
        return Quit(code)
