"""Photo bytes in an S3-compatible store: moto's S3 server on loopback, started by the test,
spoken to over real HTTP by boto3 — and the whole upload protocol through the app with it."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import replace
from uuid import uuid4

import photokit
import pytest
from moto.server import ThreadedMotoServer
from serverkit import new_org
from starlette.testclient import TestClient

from sync_server.app import create_app
from sync_server.services.s3_storage import S3Storage, s3_storage
from sync_server.settings import Settings

from .test_photo_uploads import attach, auth, patch, start
from .test_sync_batch import Device, add_well

NAME = hashlib.sha256(b"photo").hexdigest()


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    with pytest.MonkeyPatch.context() as env:
        env.setenv("AWS_ACCESS_KEY_ID", "testing")
        env.setenv("AWS_SECRET_ACCESS_KEY", "testing")
        env.setenv("AWS_DEFAULT_REGION", "us-east-1")
        yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def bucket(s3_endpoint: str) -> str:
    name = f"photos-{uuid4().hex[:12]}"
    s3_storage(f"s3://{name}", s3_endpoint).client.create_bucket(Bucket=name)
    return name


def test_bytes_round_trip_under_the_prefix_and_a_missing_one_is_none(
    s3_endpoint: str, bucket: str
) -> None:
    storage = s3_storage(f"s3://{bucket}/field-photos", s3_endpoint)
    org = uuid4()
    storage.put(org, NAME, b"photo")
    assert storage.get(org, NAME) == b"photo"
    assert storage.get(uuid4(), NAME) is None  # another organization's key
    listed = storage.client.list_objects_v2(Bucket=bucket)["Contents"]
    assert [o["Key"] for o in listed] == [f"field-photos/{org}/{NAME[:2]}/{NAME[2:4]}/{NAME}"]
    storage.delete(org, NAME)
    assert storage.get(org, NAME) is None


def test_a_setting_that_is_not_an_s3_url_is_refused() -> None:
    for wrong in ("/var/photos", "s3://", "https://bucket"):
        with pytest.raises(ValueError, match="must be s3://BUCKET"):
            s3_storage(wrong)


def test_names_that_are_not_hashes_never_reach_the_store(s3_endpoint: str, bucket: str) -> None:
    storage = s3_storage(f"s3://{bucket}", s3_endpoint)
    assert isinstance(storage, S3Storage)
    with pytest.raises(ValueError, match="not a photo storage name"):
        storage.put(uuid4(), "../other-org/x", b"x")


def test_the_app_keeps_uploaded_photos_in_the_s3_store(
    settings: Settings, database_url: str, s3_endpoint: str, bucket: str
) -> None:
    in_s3 = replace(settings, photo_store=f"s3://{bucket}/p", s3_endpoint=s3_endpoint)
    store = s3_storage(f"s3://{bucket}", s3_endpoint)

    def keys() -> list[str]:
        return [o["Key"] for o in store.client.list_objects_v2(Bucket=bucket).get("Contents", [])]

    with TestClient(create_app(in_s3, migrate=False)) as client:
        slug = new_org(database_url)
        dev = Device(client, slug, "op")
        data = photokit.jpeg()  # with EXIF: the served copy is another file
        upload_id = start(dev, data).json()["upload_id"]
        assert patch(dev, upload_id, 0, data).headers["Upload-Complete"] == "?1"
        (served,) = keys()
        shot = attach(dev, add_well(database_url, slug), data)
        thumb = client.get(f"/api/v1/photos/{shot}/thumbnail", headers=auth(dev))
        assert thumb.status_code == 200
        full = client.get(f"/api/v1/photos/{shot}", headers=auth(dev))
        assert hashlib.sha256(full.content).hexdigest() == served.rsplit("/", 1)[1]
    org, sha = dev.identity.org_id, hashlib.sha256(data).hexdigest()
    assert sorted(keys()) == sorted([served, f"p/{org}/{sha[:2]}/{sha[2:4]}/{sha}.thumb"])
