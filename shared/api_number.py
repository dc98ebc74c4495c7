"""US API well numbers (API Bulletin D12A, now maintained by PPDM).

An API number is 10, 12 or 14 digits: state (2) - county (3) - unique well (5), optionally
followed by a directional sidetrack code (2) and an event sequence code (2), usually written
``42-501-20130-03-00``. Dashes and spaces are accepted anywhere as separators; anything else
(letters, dots, slashes) is rejected so that typos are caught rather than silently stripped.

State codes are the API codes, not FIPS codes: 01 Alabama ... 49 Wyoming alphabetically with the
District of Columbia as 08, then 50 Alaska, 51 Hawaii and the federal offshore pseudo-states
55, 56, 60 and 61 (52-54 are reserved). County codes are normally odd numbers; the few even
codes in use are listed in :data:`KNOWN_EVEN_COUNTIES` and do not draw the parity warning.
"""

from __future__ import annotations

from dataclasses import dataclass

from shared.validation import Issue, Severity

STATE_CODES: dict[str, str] = {
    "01": "Alabama",
    "02": "Arizona",
    "03": "Arkansas",
    "04": "California",
    "05": "Colorado",
    "06": "Connecticut",
    "07": "Delaware",
    "08": "District of Columbia",
    "09": "Florida",
    "10": "Georgia",
    "11": "Idaho",
    "12": "Illinois",
    "13": "Indiana",
    "14": "Iowa",
    "15": "Kansas",
    "16": "Kentucky",
    "17": "Louisiana",
    "18": "Maine",
    "19": "Maryland",
    "20": "Massachusetts",
    "21": "Michigan",
    "22": "Minnesota",
    "23": "Mississippi",
    "24": "Missouri",
    "25": "Montana",
    "26": "Nebraska",
    "27": "Nevada",
    "28": "New Hampshire",
    "29": "New Jersey",
    "30": "New Mexico",
    "31": "New York",
    "32": "North Carolina",
    "33": "North Dakota",
    "34": "Ohio",
    "35": "Oklahoma",
    "36": "Oregon",
    "37": "Pennsylvania",
    "38": "Rhode Island",
    "39": "South Carolina",
    "40": "South Dakota",
    "41": "Tennessee",
    "42": "Texas",
    "43": "Utah",
    "44": "Vermont",
    "45": "Virginia",
    "46": "Washington",
    "47": "West Virginia",
    "48": "Wisconsin",
    "49": "Wyoming",
    "50": "Alaska",
    "51": "Hawaii",
    "55": "Alaska Offshore",
    "56": "Pacific Coast Offshore",
    "60": "Northern Gulf of Mexico",
    "61": "Atlantic Coast Offshore",
}

#: Offshore pseudo-states number their areas consecutively, so parity means nothing there.
OFFSHORE_STATE_CODES = frozenset({"55", "56", "60", "61"})

#: Even county codes that are legitimately in use (counties created after the odd numbering).
KNOWN_EVEN_COUNTIES = frozenset(
    {
        ("02", "012"),  # La Paz County, Arizona
        ("04", "030"),  # Kern County, California (second block of unique well numbers)
        ("05", "014"),  # Broomfield County, Colorado
        ("30", "006"),  # Cibola County, New Mexico
        ("30", "028"),  # Los Alamos County, New Mexico
    }
)

_DIGITS = frozenset("0123456789")
# ASCII hyphen-minus, the Unicode hyphens/dashes word processors substitute, and the space.
_SEPARATORS = frozenset("-\u2010\u2011\u2012\u2013\u2212 ")
_VALID_LENGTHS = (10, 12, 14)


class ApiNumberError(ValueError):
    """An API number that cannot be accepted; ``str(err)`` is a one-line explanation."""


def _check_digits(name: str, value: str, width: int) -> None:
    if len(value) != width or not set(value) <= _DIGITS:
        raise ApiNumberError(f"API {name} {value!r} must be exactly {width} digits")


@dataclass(frozen=True, slots=True)
class ApiNumber:
    state_code: str
    county_code: str
    unique_well: str
    sidetrack: str | None = None
    event: str | None = None

    def __post_init__(self) -> None:
        _check_digits("state code", self.state_code, 2)
        _check_digits("county code", self.county_code, 3)
        _check_digits("unique well number", self.unique_well, 5)
        if self.sidetrack is not None:
            _check_digits("sidetrack code", self.sidetrack, 2)
        if self.event is not None:
            if self.sidetrack is None:
                raise ApiNumberError("API event code needs a sidetrack code before it")
            _check_digits("event code", self.event, 2)
        if self.state_code not in STATE_CODES:
            raise ApiNumberError(
                f"API number '{self.normalized}' has unknown state code {self.state_code}"
            )
        if self.county_code == "000":
            raise ApiNumberError(
                f"API number '{self.normalized}' has county code 000, which is not a county"
            )

    def _parts(self) -> list[str]:
        parts = [self.state_code, self.county_code, self.unique_well]
        if self.sidetrack is not None:
            parts.append(self.sidetrack)
            if self.event is not None:
                parts.append(self.event)
        return parts

    @property
    def normalized(self) -> str:
        """Digits only: 10, 12 or 14 of them, as given."""
        return "".join(self._parts())

    @property
    def formatted(self) -> str:
        """Dashed form, e.g. ``42-501-20130-03-00``."""
        return "-".join(self._parts())

    @property
    def state_name(self) -> str:
        return STATE_CODES[self.state_code]

    @property
    def county_is_even(self) -> bool:
        return int(self.county_code) % 2 == 0

    @property
    def well_origin(self) -> str:
        """The 10-digit well identifier shared by every sidetrack and event of the well."""
        return self.state_code + self.county_code + self.unique_well

    def __str__(self) -> str:
        return self.formatted


def parse_api_number(text: str) -> ApiNumber:
    """Parse a 10, 12 or 14 digit API number, with or without dashes or spaces."""
    raw = text.strip()
    if not raw:
        raise ApiNumberError("API number is empty")
    digits: list[str] = []
    for ch in raw:
        if ch in _DIGITS:
            digits.append(ch)
        elif ch not in _SEPARATORS:
            raise ApiNumberError(
                f"API number {raw!r} contains {ch!r}; only digits, dashes and spaces are allowed"
            )
    n = len(digits)
    if n not in _VALID_LENGTHS:
        raise ApiNumberError(f"API number {raw!r} has {n} digits; expected 10, 12 or 14")
    s = "".join(digits)
    return ApiNumber(
        state_code=s[0:2],
        county_code=s[2:5],
        unique_well=s[5:10],
        sidetrack=s[10:12] if n >= 12 else None,
        event=s[12:14] if n == 14 else None,
    )


def normalize_api_number(text: str) -> str:
    """Digits-only form of a valid API number; raises :class:`ApiNumberError` otherwise."""
    return parse_api_number(text).normalized


def api_number_issues(text: str) -> list[Issue]:
    """Validation issues for a typed or imported API number; ``[]`` when it is fine."""
    try:
        api = parse_api_number(text)
    except ApiNumberError as exc:
        return [Issue("api_number", "api_number", Severity.ERROR, f"{exc}.")]
    if (
        api.county_is_even
        and api.state_code not in OFFSHORE_STATE_CODES
        and (api.state_code, api.county_code) not in KNOWN_EVEN_COUNTIES
    ):
        msg = (
            f"API number {api.formatted} has even county code {api.county_code}; "
            f"{api.state_name} county codes are odd numbers, so check for a typo."
        )
        return [Issue("api_county_parity", "api_number", Severity.WARNING, msg)]
    return []
