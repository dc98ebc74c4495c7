"""`sync-server photos usage|limits|cleanup` (docs/photos-server.md): the office's view of
photo storage, kept apart from the rest of the command line."""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict
from typing import Any

from sync_server.services import photo_admin
from sync_server.services.admin import AdminError
from sync_server.services.photo_backends import storage_for
from sync_server.settings import Settings

GIB = 1024**3
MIB = 1024**2


def add_parser(sub: Any, parser_class: type[argparse.ArgumentParser]) -> None:
    photos = sub.add_parser("photos", help="photo storage: usage, limits, clean-up")
    actions = photos.add_subparsers(
        dest="photos_command", metavar="ACTION", required=True, parser_class=parser_class
    )
    usage = actions.add_parser("usage", help="photos and bytes held per organization")
    usage.add_argument("--org", help="organization slug (default: every organization)")
    usage.add_argument("--json", action="store_true")
    limits = actions.add_parser("limits", help="set an organization's photo quota and size limit")
    limits.add_argument("--org", required=True)
    limits.add_argument("--quota-gib", type=float, help="all its photos, in GiB (default 10)")
    limits.add_argument("--max-photo-mib", type=float, help="one photo, in MiB (default 25)")
    cleanup = actions.add_parser("cleanup", help="forget partial uploads left behind")
    cleanup.add_argument(
        "--older-than-hours",
        type=float,
        default=24.0,
        help="untouched this long (default 24)",
    )


def _size(n: int) -> str:
    return f"{n / GIB:.2f} GiB" if n >= GIB else f"{n / MIB:.1f} MiB"


def run(url: str, settings: Settings, args: argparse.Namespace) -> None:
    command = args.photos_command
    if command == "cleanup":
        _, staging = storage_for(settings.data_dir, settings.photo_store, settings.s3_endpoint)
        done = photo_admin.clean_up(url, staging, args.older_than_hours)
        print(
            f"forgot {done.uploads} partial uploads; removed {done.files} staged files"
            f" ({_size(done.bytes)})"
        )
        return
    if command == "limits":
        if args.quota_gib is None and args.max_photo_mib is None:
            raise AdminError("give --quota-gib and/or --max-photo-mib")
        quota = None if args.quota_gib is None else round(args.quota_gib * GIB)
        most = None if args.max_photo_mib is None else round(args.max_photo_mib * MIB)
        photo_admin.set_limits(url, args.org, quota, most)
    for org in photo_admin.usage(url, args.org):
        if command == "usage" and args.json:
            print(json.dumps(asdict(org)))
            continue
        share = 100 * (org.bytes + org.reserved) / org.quota if org.quota else 100.0
        print(
            f"{org.slug}: {org.photos} photos, {_size(org.bytes)} of {_size(org.quota)}"
            f" ({share:.1f} %), {org.open_uploads} uploads open ({_size(org.reserved)});"
            f" at most {_size(org.max_photo)} a photo"
        )
