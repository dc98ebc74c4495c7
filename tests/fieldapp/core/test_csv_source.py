"""A CSV file is checked whole before any row is imported; each refusal is one plain sentence."""

from __future__ import annotations

from pathlib import Path

import pytest

from fieldapp.core.csv_source import CsvFormatError, read_csv

REQUIRED = ("api_number", "production_date", "oil_bbl")


def write(tmp_path: Path, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / "file.csv"
    path.write_bytes(text.encode(encoding))
    return path


def test_rows_keep_the_line_they_start_on_and_multi_line_notes_stay_whole(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "api_number,production_date,oil_bbl,notes\n"
        '4250120130,2026-05-01,10,"two\nlines"\n'
        "\n"
        "4250120130,2026-05-02,11\n",
    )
    source = read_csv(path, REQUIRED)
    assert source.encoding == "utf-8"
    assert [(line, raw["notes"]) for line, raw in source.rows] == [(2, "two\nlines"), (5, "")]


def test_a_quote_that_never_closes_is_refused_at_the_line_it_opens(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "api_number,production_date,oil_bbl,notes\n"
        "4250120130,2026-05-01,10,ok\n"
        '4250120130,2026-05-02,11,"rod part\n'
        "4250120130,2026-05-03,12,ok\n"
        "4250120130,2026-05-04,13,ok\n",
    )
    with pytest.raises(CsvFormatError, match=r"file\.csv line 3: a quote opens on this line"):
        read_csv(path, REQUIRED)


def test_text_after_a_closing_quote_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, 'api_number,production_date,oil_bbl\n4250120130,"2026-05-01"x,10\n')
    with pytest.raises(CsvFormatError, match="line 2: not valid CSV"):
        read_csv(path, REQUIRED)


@pytest.mark.parametrize("text", ["", "\n\n", "   \r\n", "\ufeff"])
def test_an_empty_file_says_empty(tmp_path: Path, text: str) -> None:
    with pytest.raises(CsvFormatError, match="is empty"):
        read_csv(write(tmp_path, text), REQUIRED)


@pytest.mark.parametrize(("delimiter", "name"), [(";", "semicolons"), ("\t", "tabs")])
def test_another_delimiter_is_named(tmp_path: Path, delimiter: str, name: str) -> None:
    path = write(tmp_path, delimiter.join(REQUIRED) + "\n" + delimiter.join(["4250120130"] * 3))
    with pytest.raises(CsvFormatError, match=f"delimited by {name}, not commas"):
        read_csv(path, REQUIRED)


def test_windows_1252_is_read_and_reported(tmp_path: Path) -> None:
    path = write(tmp_path, "api_number,production_date,oil_bbl,notes\n1,2,3,5°F – ok\n", "cp1252")
    source = read_csv(path, REQUIRED)
    assert source.encoding == "windows-1252"
    assert source.rows[0][1]["notes"] == "5°F – ok"


def test_bytes_that_are_no_text_encoding_are_refused_with_their_line(tmp_path: Path) -> None:
    path = tmp_path / "file.csv"
    path.write_bytes(b"api_number,production_date,oil_bbl\n\x81\x8d\x8f\x90\n")
    with pytest.raises(CsvFormatError, match=r"not text \(UTF-8 or Windows-1252\).*line 2"):
        read_csv(path, REQUIRED)


def test_missing_columns_too_many_fields_and_short_rows(tmp_path: Path) -> None:
    with pytest.raises(CsvFormatError, match=r"missing column.*oil_bbl"):
        read_csv(write(tmp_path, "api_number,production_date\n1,2\n"), REQUIRED)
    with pytest.raises(CsvFormatError, match="line 3: too many fields"):
        read_csv(write(tmp_path, "api_number,production_date,oil_bbl\n1,2,3\n1,2,3,4\n"), REQUIRED)
    short = read_csv(write(tmp_path, "api_number,production_date,oil_bbl,notes\n1,2\n"), REQUIRED)
    assert short.rows == [
        (2, {"api_number": "1", "production_date": "2", "oil_bbl": "", "notes": ""})
    ]


def test_a_folder_or_a_missing_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(CsvFormatError, match="not found"):
        read_csv(tmp_path / "nope.csv", REQUIRED)
    with pytest.raises(CsvFormatError, match="is a folder"):
        read_csv(tmp_path, REQUIRED)
