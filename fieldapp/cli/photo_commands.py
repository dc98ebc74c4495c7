"""The `fieldapp photo` commands: add, list, export, remove, caption, uploads, retry
(docs/photos.md "On the laptop")."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from pathlib import Path

from fieldapp.cli.errors import CliError
from fieldapp.cli.unlock import open_store
from fieldapp.core.photo_store import PhotoInfo, get_photo, list_photos
from fieldapp.core.photo_targets import PhotoTarget, resolve_target
from fieldapp.core.photo_uploads import retry_upload, upload_summary
from fieldapp.core.photos import attach, export_photo, remove_photo, set_caption
from fieldapp.core.store import Store


def cmd_photo(args: argparse.Namespace) -> int:
    run = _ACTIONS[args.photo_command]
    with open_store(args) as store:
        return run(store, args)


def _add(store: Store, args: argparse.Namespace) -> int:
    results = attach(store, PhotoTarget.parse(args.to), [Path(f) for f in args.files], args.caption)
    for result in results:
        print(result.line())
    refused = sum(not r.ok for r in results)
    if refused:
        raise CliError(
            f"{refused} of {len(results)} files refused (named above); the others were attached"
        )
    return 0


def _list(store: Store, args: argparse.Namespace) -> int:
    target = PhotoTarget.parse(args.to) if args.to else None
    well_id = None
    if args.well:
        with store.read() as conn:
            well_id = resolve_target(conn, PhotoTarget("well", args.well)).target_id
    photos = list_photos(store, target, well_id=well_id)
    if args.json:
        print(json.dumps([p.as_dict() for p in photos]))
        return 0
    for p in photos:
        print(photo_line(p))
    return 0


def photo_line(p: PhotoInfo) -> str:
    """id, target, taken at, size, dimensions, upload state, caption."""
    taken = p.taken_at.isoformat(sep=" ", timespec="minutes") if p.taken_at else "-"
    size = f"{p.width}x{p.height}" if p.width and p.height else "-"
    line = f"{p.photo_id}  {p.target}  {taken}  {p.size} bytes  {size}  {upload_words(p)}"
    return f"{line}  {p.caption}" if p.caption else line


def upload_words(p: PhotoInfo) -> str:
    if p.upload_state == "uploading":
        return f"uploading {p.upload_percent}%"
    if p.upload_state == "refused":
        return f"refused ({p.refusal})"
    return p.upload_state.replace("_", " ")


def _export(store: Store, args: argparse.Namespace) -> int:
    size = export_photo(store, args.photo_id, args.out)
    print(f"exported photo {args.photo_id} ({size} bytes) to {args.out}")
    return 0


def _remove(store: Store, args: argparse.Namespace) -> int:
    photo = remove_photo(store, args.photo_id, args.reason)
    print(f"removed photo {photo.photo_id} from {photo.target}")
    return 0


def _caption(store: Store, args: argparse.Namespace) -> int:
    photo = set_caption(store, args.photo_id, args.text)
    print(f"photo {photo.photo_id}: caption '{photo.caption}'")
    return 0


def _uploads(store: Store, args: argparse.Namespace) -> int:
    summary = upload_summary(store)
    print(json.dumps(summary.as_dict()) if args.json else summary.line())
    return 0


def _retry(store: Store, args: argparse.Namespace) -> int:
    with store.read() as conn:
        photo = get_photo(conn, args.photo_id)
    retry_upload(store, photo.sha256)
    print(f"photo {photo.photo_id} queued for upload again at the next sync")
    return 0


_ACTIONS: dict[str, Callable[[Store, argparse.Namespace], int]] = {
    "add": _add,
    "list": _list,
    "export": _export,
    "remove": _remove,
    "caption": _caption,
    "uploads": _uploads,
    "retry": _retry,
}
