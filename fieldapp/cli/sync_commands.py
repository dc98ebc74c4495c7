"""The commands that talk to a sync server: init --server, link, sync, conflicts, resolve,
rejected, resubmit. They raise CliError/StoreError/SyncError; program.main() prints them in
one line."""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from collections.abc import Callable
from typing import Any

from pydantic import ValidationError

from fieldapp.cli.errors import CliError
from fieldapp.cli.issues import pydantic_message
from fieldapp.cli.unlock import new_passphrase, open_store, passphrase_source
from fieldapp.core.conflicts import list_conflicts, resolve
from fieldapp.core.folder_swap import has_store
from fieldapp.core.keystore import Keystore
from fieldapp.core.rejections import list_rejections, resubmit
from fieldapp.sync.connect import Registration, engine_for, http_client, register
from fieldapp.sync.engine import SyncEngine
from fieldapp.sync.errors import SyncError
from fieldapp.sync.retry import Backoff

RETRIES_ENV = "FIELDAPP_SYNC_RETRIES"


def _backoff() -> Backoff:
    try:
        attempts = int(os.environ.get(RETRIES_ENV, "5"))
    except ValueError:
        raise CliError(f"{RETRIES_ENV} must be a whole number of attempts") from None
    return Backoff(attempts=max(1, attempts))


def _password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        line = sys.stdin.readline()
        if not line:
            raise CliError("--password-stdin given but standard input has no password line")
        return line.rstrip("\r\n")
    if sys.stdin.isatty():
        return getpass.getpass(f"Password for {args.user}@{args.org}: ")
    raise CliError("the server password is needed: --password-stdin or a terminal")


def _check_url(url: str) -> None:
    if not url.startswith(("http://", "https://")):
        raise CliError(f"--server '{url}' is not an http:// or https:// URL")


def cmd_init_server(args: argparse.Namespace) -> int:
    if not (args.org and args.user):
        raise CliError("--server needs --org SLUG and --user NAME")
    _check_url(args.server)
    if has_store(args.data_dir):
        raise CliError(
            f"a store already exists in {args.data_dir}; to register it with the server and"
            f" keep its records: fieldapp link --server {args.server} --org {args.org}"
            f" --user {args.user}"
        )
    secret = new_passphrase(args)
    reg = Registration(args.server, args.org, args.user, _password(args), args.timezone)
    keystore = Keystore()
    with http_client(args.server) as http:
        store = register(args.data_dir, secret, keystore, http, reg)
    with store:
        where = "OS keystore" if store.keyfile.use_keystore else "passphrase only (no keystore)"
        print(
            f"registered device {store.identity.device_id} with {args.server} as"
            f" {args.user}@{args.org} (key: {where})"
        )
        try:
            report = _engine(store, keystore).sync()
        except SyncError as exc:
            print(
                f"fieldapp: warning: the first sync did not finish ({exc}); run 'fieldapp sync'",
                file=sys.stderr,
            )
            return 0
        status = store.status()
        print(
            f"pulled {report.pulled} changes: {status.wells} wells,"
            f" {status.production_records} production records"
        )
    return 0


def cmd_link(args: argparse.Namespace) -> int:
    """Register a local-only store with a server, keeping its records (fieldapp/sync/link.py)."""
    from fieldapp.sync.link import link_store

    _check_url(args.server)
    secret = passphrase_source(args)()
    if secret is None:
        raise CliError(
            "link needs the store passphrase: FIELDAPP_PASSPHRASE, --passphrase-stdin or a tty"
        )
    reg = Registration(args.server, args.org, args.user, _password(args))
    with http_client(args.server) as http:
        linked = link_store(args.data_dir, secret, Keystore(), http, reg, backoff=_backoff())
    with linked.store as store:
        status = store.status()
        print(
            f"registered device {store.identity.device_id} with {args.server} as"
            f" {args.user}@{args.org}; pulled {linked.pulled} changes"
        )
        print(
            f"copied {linked.copied} events ({linked.wells_matched} wells matched the server's by"
            f" API number, {linked.wells_sent} go out as new wells); {status.pending} pending:"
            " run 'fieldapp sync' to send them"
        )
    print(f"the local store is kept unchanged in {linked.kept}")
    return 0


def _engine(store: Any, keystore: Keystore) -> SyncEngine:
    return engine_for(store, keystore, backoff=_backoff())


def cmd_sync(args: argparse.Namespace) -> int:
    keystore = Keystore()
    with open_store(args) as store:
        engine = _engine(store, keystore)
        if args.watch:
            from fieldapp.sync.autosync import run_forever

            return run_forever(engine, say=print)
        engine.listeners.append(_say_photo)
        try:
            report = engine.sync(wait_s=60.0)
        except SyncError as exc:
            pending = store.status().pending
            raise CliError(f"{exc}; {pending} event(s) stay pending for the next sync") from None
    print(report.summary())
    if not report.complete:
        raise CliError(f"{report.pending} event(s) still pending after the sync")
    return 0


def _say_photo(name: str, details: dict[str, Any]) -> None:
    """One line per photo the sync sent: `photo 2/5 on the server (1.2 of 3.4 MB)`."""
    if name != "sync.photo":
        return
    where = "on the server" if details["state"] == "on_server" else "refused"
    done, total = details["bytes_done"] / 1e6, details["bytes"] / 1e6
    line = (
        f"photo {details['photos_done']}/{details['photos']} {where} ({done:.1f} of {total:.1f} MB)"
    )
    print(line + (f": {details['refusal']}" if details.get("refusal") else ""), flush=True)


def cmd_conflicts(args: argparse.Namespace) -> int:
    with open_store(args) as store, store.read() as conn:
        found = list_conflicts(
            conn, str(store.identity.device_id), status="all" if args.all else "open"
        )
    if args.json:
        print(json.dumps([c.as_dict() for c in found], sort_keys=True))
        return 0
    if not found:
        print("no open conflicts" if not args.all else "no conflicts")
    for c in found:
        print(f"{c.conflict_id}  {c.aggregate_type} {c.aggregate_id}  {c.status}")
        for name in c.fields:
            print(
                f"    {name}: mine={c.mine.get(name)!r} theirs={c.theirs.get(name)!r}"
                f" now={c.current.get(name)!r}"
            )
    return 0


def cmd_resolve(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        sealed = resolve(store, args.conflict_id, args.keep)
    print(
        f"resolved {args.conflict_id}: kept {args.keep} (event {sealed.event_id});"
        " it reaches the server with the next sync"
    )
    return 0


def cmd_rejected(args: argparse.Namespace) -> int:
    with open_store(args) as store, store.read() as conn:
        found = list_rejections(conn)
    if args.json:
        print(json.dumps([r.as_dict() for r in found], sort_keys=True))
        return 0
    if not found:
        print("no rejected events")
    for r in found:
        print(f"seq {r.device_seq}  {r.event_type}  {r.aggregate_id}: {r.summary()}")
    return 0


def _fixes(pairs: list[str]) -> dict[str, Any]:
    fixes: dict[str, Any] = {}
    for pair in pairs:
        name, sep, text = pair.partition("=")
        if not sep or not name:
            raise CliError(f"--set '{pair}' is not FIELD=VALUE")
        try:
            fixes[name] = json.loads(text)
        except ValueError:
            fixes[name] = text  # plain text (notes, reason codes)
    return fixes


def cmd_resubmit(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        try:
            seq = resubmit(store, args.seq, _fixes(args.set))
        except ValidationError as exc:
            raise CliError(pydantic_message(exc)) from None
    print(
        f"resubmitted seq {args.seq} as seq {seq}"
        if seq
        else "nothing to resubmit: the record already holds these values"
    )
    return 0


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "link": cmd_link,
    "sync": cmd_sync,
    "conflicts": cmd_conflicts,
    "resolve": cmd_resolve,
    "rejected": cmd_rejected,
    "resubmit": cmd_resubmit,
}
