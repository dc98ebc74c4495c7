"""The viewer's state: walking the list, fit and zoom, and the metadata it lists."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from photouikit import attach_jpegs

from fieldapp.core.photo_store import PhotoInfo
from fieldapp.core.photo_targets import PhotoTarget
from fieldapp.core.store import Store
from fieldapp.core.wells import Well
from fieldapp.ui.photo_viewer_state import (
    ZOOM_MAX,
    ZOOM_MIN,
    ViewerState,
    details,
    fit_factor,
    location_words,
    size_words,
)


@pytest.fixture
def photos(store: Store, wells: list[Well], tmp_path: Path) -> list[PhotoInfo]:
    return attach_jpegs(store, PhotoTarget("well", wells[0].well_id), tmp_path, 1, 2, 3)


def test_next_and_previous_stop_at_the_ends_and_fit_again(photos: list[PhotoInfo]) -> None:
    state = ViewerState.of(photos, 9)  # clamped to the last
    assert (state.index, state.position) == (2, "3 of 3")
    assert not state.can_go(1) and not state.go(1)
    state.actual_size()
    assert state.go(-1) and state.zoom is None  # a new photo is fitted
    assert state.current == photos[1]
    assert state.go(-1) and not state.go(-1)
    assert ViewerState.of([]).position == "no photo" and ViewerState.of([]).current is None


def test_fit_never_enlarges_and_zoom_steps_within_limits() -> None:
    assert fit_factor((2560, 1920), (1280, 1280)) == 0.5
    assert fit_factor((320, 240), (1280, 960)) == 1.0
    assert fit_factor((0, 0), (100, 100)) == 1.0
    state = ViewerState()
    image, view = (2000, 1000), (1000, 1000)
    assert state.zoom_words(image, view) == "Fit (50 %)"
    assert state.zoom_by(1, image, view) == pytest.approx(0.625)
    assert state.zoom_words(image, view) == "62 %"
    for _ in range(40):
        state.zoom_by(1, image, view)
    assert state.zoom == ZOOM_MAX
    for _ in range(60):
        state.zoom_by(-1, image, view)
    assert state.zoom == ZOOM_MIN
    state.fit()
    assert state.factor(image, view) == 0.5


def test_details_list_the_metadata_with_the_location_and_its_source(
    photos: list[PhotoInfo],
) -> None:
    facts = dict(details(photos[0]))
    assert facts["Taken at"] == "2026-11-02 09:30"
    assert facts["Camera"] == "Rugged FieldCam 9"
    assert facts["Dimensions"] == "800 × 600 px"
    assert facts["Size"] == size_words(photos[0].size)
    assert facts["Location"] == "31.958333, -102.150000 (from the photo's EXIF)"
    assert facts["Original file"].startswith("IMG_0001.jpg (")
    assert facts["Upload"] == "pending"
    bare = replace(photos[0], latitude=None, longitude=None, taken_at=None, camera="")
    assert location_words(bare) == "none"
    assert dict(details(bare))["Taken at"] == "unknown"
    assert size_words(900) == "900 bytes" and size_words(2048) == "2 KB"
    assert size_words(3 * 1024 * 1024) == "3.0 MB"


def test_a_saved_caption_replaces_and_a_removal_drops_the_photo(
    photos: list[PhotoInfo],
) -> None:
    state = ViewerState.of(photos, 2)
    state.replace(replace(photos[2], caption="gauge"))
    assert state.current is not None and state.current.caption == "gauge"
    state.remove(photos[2].photo_id)
    assert (state.index, state.position) == (1, "2 of 2")
    state.remove(photos[0].photo_id)
    state.remove(photos[1].photo_id)
    assert state.current is None
