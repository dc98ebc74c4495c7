"""Reading a CSV file for import: the whole file is checked before any row is imported.

A file is refused with one plain sentence when it is empty, is not text, is delimited by
semicolons or tabs instead of commas, lacks a required column, has a row with too many fields,
or has a quote that never closes (which would otherwise swallow every following row into one
field). Excel's default "CSV" on Windows is Windows-1252, not UTF-8: such a file is read as
Windows-1252 and the import says so.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from fieldapp.core.errors import StoreError

_OTHER_DELIMITERS = {";": "semicolons", "\t": "tabs"}


class CsvFormatError(StoreError):
    """The file is not a readable CSV of the expected kind (nothing was imported)."""


@dataclass(frozen=True, slots=True)
class CsvRows:
    """The data rows of a checked file: (first line of the row, values by column)."""

    rows: list[tuple[int, dict[str, str]]]
    header: list[str]
    encoding: str  # "utf-8" or "windows-1252"


def _decode(path: Path, data: bytes) -> tuple[str, str]:
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError as utf8_error:
        try:
            return data.decode("cp1252"), "windows-1252"
        except UnicodeDecodeError:
            line = data.count(b"\n", 0, utf8_error.start) + 1
            raise CsvFormatError(
                f"{path.name} is not text (UTF-8 or Windows-1252): unreadable bytes on line "
                f"{line}; save it from the spreadsheet as 'CSV UTF-8'"
            ) from None


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise CsvFormatError(f"file not found: {path}") from None
    except IsADirectoryError:
        raise CsvFormatError(f"{path} is a folder, not a CSV file") from None
    except OSError as exc:
        raise CsvFormatError(f"cannot read {path}: {exc.strerror}") from None


def _check_header(path: Path, header: list[str], required: Sequence[str]) -> None:
    missing = [c for c in required if c not in header]
    if not missing:
        return
    first = ",".join(header)
    for delimiter, name in _OTHER_DELIMITERS.items():
        if len(header) == 1 and delimiter in first:
            raise CsvFormatError(
                f"{path.name} is delimited by {name}, not commas; save it as a comma-"
                "separated CSV (in Excel: 'CSV UTF-8 (Comma delimited)')"
            )
    raise CsvFormatError(
        f"{path.name} is not a production CSV: missing column(s) {', '.join(missing)}"
    )


def read_csv(path: Path, required: Sequence[str]) -> CsvRows:
    """Every data row of ``path``, or CsvFormatError naming the first line that is wrong."""
    text, encoding = _decode(path, _read_bytes(path))
    if not text.strip():
        raise CsvFormatError(f"{path.name} is empty: no header and no rows")
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[tuple[int, dict[str, str]]] = []
    header: list[str] | None = None
    while True:
        start = reader.line_num + 1  # the line the next row begins on
        try:
            values = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            if "unexpected end of data" in str(exc):
                raise CsvFormatError(
                    f"{path.name} line {start}: a quote opens on this line and never closes; "
                    "nothing was imported"
                ) from None
            raise CsvFormatError(f"{path.name} line {start}: not valid CSV ({exc})") from None
        if not values:
            continue  # a blank line
        if header is None:
            header = [name.strip() for name in values]
            _check_header(path, header, required)
            continue
        if len(values) > len(header):
            raise CsvFormatError(f"{path.name} line {start}: too many fields")
        padded = values + [""] * (len(header) - len(values))  # a short row: the rest empty
        rows.append((start, dict(zip(header, padded, strict=True))))
    if header is None:
        raise CsvFormatError(f"{path.name} is empty: no header and no rows")
    return CsvRows(rows, header, encoding)
