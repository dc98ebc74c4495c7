"""The store passphrase of a command and the store it unlocks."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Callable
from functools import cache

from fieldapp.cli.errors import CliError
from fieldapp.core.keystore import Keystore
from fieldapp.core.store import Store


def passphrase_source(args: argparse.Namespace) -> Callable[[], str | None]:
    """Where the passphrase comes from: --passphrase-stdin, FIELDAPP_PASSPHRASE, or a prompt."""

    @cache
    def read() -> str | None:
        if args.passphrase_stdin:
            line = sys.stdin.readline()
            if not line:
                raise CliError("--passphrase-stdin given but standard input is empty")
            return line.rstrip("\r\n")
        if env := os.environ.get("FIELDAPP_PASSPHRASE"):
            return env
        if sys.stdin.isatty():
            return getpass.getpass("Store passphrase: ")
        return None

    return read


def open_store(args: argparse.Namespace, source: Callable[[], str | None] | None = None) -> Store:
    """The store of ``--data-dir``, unlocked by ``source`` (default: a new passphrase_source)."""
    return Store.open(args.data_dir, Keystore(), source or passphrase_source(args))


def new_passphrase(args: argparse.Namespace) -> str:
    """The passphrase of a store being created (asked twice at a prompt)."""
    secret = passphrase_source(args)()
    if secret is None:
        raise CliError("a passphrase is needed: FIELDAPP_PASSPHRASE, --passphrase-stdin or a tty")
    interactive = not args.passphrase_stdin and not os.environ.get("FIELDAPP_PASSPHRASE")
    if interactive and getpass.getpass("Repeat passphrase: ") != secret:
        raise CliError("the passphrases do not match; nothing was created")
    return secret
