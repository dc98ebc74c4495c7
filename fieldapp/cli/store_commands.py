"""The commands on the store itself: init --local, status, verify, rekey."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable

from fieldapp.cli.errors import CliError
from fieldapp.cli.unlock import new_passphrase, open_store, passphrase_source
from fieldapp.core import org_thresholds
from fieldapp.core.keystore import Keystore
from fieldapp.core.store import Store
from fieldapp.core.verify import verify_store
from shared.thresholds import DEFAULT_THRESHOLDS, as_settings


def cmd_init_local(args: argparse.Namespace) -> int:
    if args.org or args.user or args.password_stdin:
        raise CliError("--org, --user and --password-stdin go with --server")
    secret = new_passphrase(args)
    keystore = Keystore()
    with Store.create(args.data_dir, secret, keystore, timezone=args.timezone) as store:
        where = "OS keystore" if store.keyfile.use_keystore else "passphrase only (no keystore)"
        print(f"created local store in {args.data_dir} (key: {where})")
        print(f"device {store.identity.device_id}")
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        status = store.status().as_dict()
        rules = org_thresholds.in_force(store)
    if args.json:
        print(json.dumps({**status, "thresholds": rules.as_dict()}, sort_keys=True))
        return 0
    for name, value in status.items():
        print(f"{name:>20}: {'-' if value is None else value}")
    source = "the organization" if rules.source == "organization" else "this device (defaults)"
    synced = f", checked {rules.synced_at}" if rules.synced_at else ""
    print(f"{'thresholds':>20}: from {source}{synced}")
    defaults = as_settings(DEFAULT_THRESHOLDS)
    for name, value in as_settings(rules.thresholds).items():
        note = "" if value != defaults[name] else " (default)"
        print(f"{name:>24}: {value}{note}")
    return 0


def cmd_verify(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        report = verify_store(store)
    for problem in report.problems:
        print(problem)
    if not report.ok:
        raise CliError(
            f"verification failed with {len(report.problems)} problem(s); first: "
            f"{report.problems[0]}"
        )
    print(f"ok: {report.events} events, chain intact, projections match ({report.seconds:.2f} s)")
    return 0


def cmd_rekey(args: argparse.Namespace) -> int:
    source = passphrase_source(args)  # one reader: stdin holds the passphrase once
    with open_store(args, source) as store:
        secret = source()
        if secret is None:
            raise CliError("rekey needs the store passphrase (FIELDAPP_PASSPHRASE or stdin)")
        store.rekey(secret, Keystore())
    print("store re-encrypted under a new key; the old key no longer opens it")
    return 0


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "init": cmd_init_local,
    "status": cmd_status,
    "verify": cmd_verify,
    "rekey": cmd_rekey,
}
