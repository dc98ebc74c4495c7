"""Photo bytes in an S3-compatible object store (docs/photos-server.md "Storage"), for
deployments that outgrow one disk: AWS S3, MinIO, Ceph, Garage…

Chosen with `WELLPULSE_PHOTO_STORE=s3://BUCKET/PREFIX` (and `WELLPULSE_S3_ENDPOINT` for a
store that is not AWS); credentials and region come from boto3's usual chain (environment,
shared config, instance role). Keys mirror the directory tree: `PREFIX<org id>/<ab>/<cd>/<name>`,
names checked like the directory storage's. A PUT is atomic in S3: a reader sees the whole
object or none. Partial uploads are still staged on the server's disk (`Staging`).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit
from uuid import UUID

from sync_server.services.photo_storage import checked_name


class S3Storage:
    def __init__(self, client: Any, bucket: str, prefix: str = "") -> None:
        self.client = client  # a boto3 S3 client
        self.bucket = bucket
        self.prefix = prefix.strip("/") + "/" if prefix.strip("/") else ""

    def key(self, org_id: UUID, name: str) -> str:
        name = checked_name(name)
        return f"{self.prefix}{UUID(str(org_id))}/{name[:2]}/{name[2:4]}/{name}"

    def put(self, org_id: UUID, name: str, data: bytes) -> None:
        self.client.put_object(Bucket=self.bucket, Key=self.key(org_id, name), Body=data)

    def get(self, org_id: UUID, name: str) -> bytes | None:
        try:
            found = self.client.get_object(Bucket=self.bucket, Key=self.key(org_id, name))
        except self.client.exceptions.NoSuchKey:
            return None
        return bytes(found["Body"].read())

    def delete(self, org_id: UUID, name: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=self.key(org_id, name))


def s3_storage(store_url: str, endpoint: str | None = None) -> S3Storage:
    """The storage an `s3://bucket/prefix` setting names (ValueError when it names none)."""
    parts = urlsplit(store_url)
    if parts.scheme != "s3" or not parts.netloc:
        raise ValueError(f"WELLPULSE_PHOTO_STORE must be s3://BUCKET[/PREFIX], not {store_url!r}")
    import boto3
    from botocore.config import Config

    config = Config(
        retries={"max_attempts": 5, "mode": "standard"}, s3={"addressing_style": "path"}
    )
    client = boto3.client("s3", endpoint_url=endpoint or None, config=config)
    return S3Storage(client, parts.netloc, parts.path)
