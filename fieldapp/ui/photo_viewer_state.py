"""The photo viewer without Qt: which photo of the list is shown, the zoom, and its metadata.

The viewer walks a list of photos (a record's strip, or the Photos page's filtered list):
next and previous stop at the ends. The zoom is "fit" (the whole photo in the window, never
enlarged) or a factor (100 % is one photo pixel per screen pixel), stepped by 25 % between
10 % and 800 %. `details(photo)` is what the side panel lists: taken at, camera, dimensions,
size, location (latitude, longitude and where it came from), the original file name and the
upload state in words.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from fieldapp.core.photo_store import PhotoInfo
from fieldapp.ui.photo_strip_state import state_words

ZOOM_STEP = 1.25
ZOOM_MIN, ZOOM_MAX = 0.1, 8.0
SOURCES = {"photo": "from the photo's EXIF", "gps": "from the laptop's GPS", "typed": "typed in"}


def size_words(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB"
    if size >= 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size} bytes"


def location_words(photo: PhotoInfo) -> str:
    if photo.latitude is None or photo.longitude is None:
        return "none"
    source = photo.location_source or ""
    where = f"{photo.latitude:.6f}, {photo.longitude:.6f}"
    return f"{where} ({SOURCES.get(source, source)})" if source else where


def details(photo: PhotoInfo, has_thumbnail: bool = True) -> list[tuple[str, str]]:
    """(label, value) rows of the photo's metadata, as the viewer shows them."""
    taken = f"{photo.taken_at:%Y-%m-%d %H:%M}" if photo.taken_at is not None else "unknown"
    dims = f"{photo.width} × {photo.height} px" if photo.width and photo.height else "unknown"
    original = photo.original_name or "unknown"
    if photo.original_size:
        original += f" ({size_words(photo.original_size)} as picked)"
    return [
        ("Taken at", taken),
        ("Camera", photo.camera or "unknown"),
        ("Dimensions", dims),
        ("Size", size_words(photo.size)),
        ("Location", location_words(photo)),
        ("Original file", original),
        ("Upload", state_words(photo, has_thumbnail=has_thumbnail or photo.cached)),
    ]


def fit_factor(image: tuple[int, int], view: tuple[int, int]) -> float:
    """The factor that shows all of `image` in `view` (never above 1: no enlarging)."""
    width, height = image
    view_w, view_h = view
    if width <= 0 or height <= 0 or view_w <= 0 or view_h <= 0:
        return 1.0
    return min(1.0, view_w / width, view_h / height)


@dataclass(slots=True)
class ViewerState:
    photos: list[PhotoInfo] = field(default_factory=list)
    index: int = 0
    zoom: float | None = None  # None: fit to the window

    @classmethod
    def of(cls, photos: Sequence[PhotoInfo], index: int = 0) -> ViewerState:
        state = cls(list(photos))
        state.index = max(0, min(index, len(state.photos) - 1))
        return state

    @property
    def current(self) -> PhotoInfo | None:
        return self.photos[self.index] if 0 <= self.index < len(self.photos) else None

    @property
    def position(self) -> str:
        return f"{self.index + 1} of {len(self.photos)}" if self.photos else "no photo"

    def can_go(self, step: int) -> bool:
        return 0 <= self.index + step < len(self.photos)

    def go(self, step: int) -> bool:
        """Show the next (+1) or previous (-1) photo; False at the end (nothing changed). The
        zoom goes back to fit."""
        if not self.can_go(step):
            return False
        self.index += step
        self.zoom = None
        return True

    def factor(self, image: tuple[int, int], view: tuple[int, int]) -> float:
        return fit_factor(image, view) if self.zoom is None else self.zoom

    def zoom_by(self, steps: int, image: tuple[int, int], view: tuple[int, int]) -> float:
        """Zoom in (steps > 0) or out from what is shown now; the new factor."""
        now = self.factor(image, view)
        self.zoom = max(ZOOM_MIN, min(ZOOM_MAX, now * ZOOM_STEP**steps))
        return self.zoom

    def actual_size(self) -> None:
        self.zoom = 1.0

    def fit(self) -> None:
        self.zoom = None

    def zoom_words(self, image: tuple[int, int], view: tuple[int, int]) -> str:
        percent = round(self.factor(image, view) * 100)
        return f"Fit ({percent} %)" if self.zoom is None else f"{percent} %"

    def replace(self, photo: PhotoInfo) -> None:
        """The photo changed (its caption saved): the list holds the new version."""
        for i, p in enumerate(self.photos):
            if p.photo_id == photo.photo_id:
                self.photos[i] = photo

    def remove(self, photo_id: str) -> None:
        """The photo was removed: it leaves the list; the next one (or the last) is shown."""
        self.photos = [p for p in self.photos if p.photo_id != photo_id]
        self.index = max(0, min(self.index, len(self.photos) - 1))
        self.zoom = None
