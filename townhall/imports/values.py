"""Cell values from a city's spreadsheets into Python values, with a reason when they fail.

Plain Python (no Django): people type dates, money and yes/no in many ways, and each way
must either parse or say exactly why it did not.
"""

import datetime
import re
from decimal import Decimal, InvalidOperation
from typing import Any

# Excel's day 0 in the 1900 date system (its phantom 29 February 1900 is before day 60).
EXCEL_EPOCH = datetime.date(1899, 12, 30)
EXCEL_MAX_SERIAL = 2958465  # 31 December 9999
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
TRUE_WORDS = {"yes", "y", "true", "t", "1", "x"}
FALSE_WORDS = {"no", "n", "false", "f", "0"}


class ValueProblem(ValueError):
    """A cell that cannot be read; the message is the reason shown to the person."""


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def text(value: Any) -> str:
    """Text with surrounding spaces trimmed; numbers Excel stored as floats lose their '.0'.

    A leading apostrophe that an export added to keep a formula inert is removed again."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime):
        value = value.date() if value.time() == datetime.time() else value
    if isinstance(value, datetime.date):
        return value.isoformat()
    result = str(value).strip()
    if len(result) > 1 and result[0] == "'" and result[1:].startswith(FORMULA_PREFIXES):
        result = result[1:]
    return result


def excel_serial(number: float) -> datetime.date:
    """The date an Excel serial number stands for (1900 date system)."""
    if not 1 <= number <= EXCEL_MAX_SERIAL:
        raise ValueProblem(f"{number:g} is outside the range of Excel dates")
    return EXCEL_EPOCH + datetime.timedelta(days=int(number))


_US = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})$")
# A day followed by a time of day, which a date column does not keep: "3/14/2025 10:22 AM",
# "2025-03-14T10:22:05Z" (learning systems and ticketing tools export completion times).
_WITH_TIME = re.compile(
    r"^(?P<day>\S+)[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?"  # the day, then hours:minutes
    r"\s*(?:[AaPp]\.?[Mm]\.?)?\s*(?:Z|[+-]\d{2}:?\d{2})?$"  # AM/PM, a time zone
)
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")


def _make_date(year: int, month: int, day: int, raw: str) -> datetime.date:
    try:
        return datetime.date(year, month, day)
    except ValueError as exc:
        raise ValueProblem(f"{raw!r} is not a real date ({exc})") from exc


def date(value: Any) -> datetime.date | None:
    """US (3/14/2025), ISO (2025-03-14), Excel serial numbers and spreadsheet date cells;
    a time of day after the day is ignored."""
    if is_blank(value):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return excel_serial(value)
    raw = text(value)
    with_time = _WITH_TIME.match(raw)
    when = with_time["day"] if with_time else raw
    if match := _ISO.match(when):
        year, month, day = (int(g) for g in match.groups())
        return _make_date(year, month, day, raw)
    if match := _US.match(when):
        month, day_of_month, year = (int(g) for g in match.groups())
        if year < 100:
            year += 2000 if year < 70 else 1900
        return _make_date(year, month, day_of_month, raw)
    if re.fullmatch(r"\d{1,7}(\.\d+)?", raw):
        return excel_serial(float(raw))
    raise ValueProblem(f"{raw!r} is not a date: write it as 3/14/2025 or 2025-03-14")


def money(value: Any) -> Decimal | None:
    """Amounts like "$1,200.50", "1200", "-5" or "(1,200.00)" for a negative."""
    if is_blank(value):
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return Decimal(str(value))
    raw = text(value)
    cleaned = raw.replace("$", "").replace(",", "").replace(" ", "")
    negative = False
    if cleaned.startswith("(") and cleaned.endswith(")"):
        negative, cleaned = True, cleaned[1:-1]
    if cleaned.startswith("-"):
        negative, cleaned = not negative, cleaned[1:]
    if not re.fullmatch(r"\d+(\.\d+)?|\.\d+", cleaned):
        raise ValueProblem(f"{raw!r} is not an amount of money: write it as 1200.50 or $1,200.50")
    try:
        amount = Decimal(cleaned)
    except InvalidOperation as exc:  # pragma: no cover - the pattern above rules it out
        raise ValueProblem(f"{raw!r} is not an amount of money") from exc
    return -amount if negative else amount


def whole_number(value: Any) -> int | None:
    """Counts such as "1,200" or 12.0 (how Excel stores whole numbers)."""
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise ValueProblem(f"{value!r} is not a whole number")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if value.is_integer():
            return int(value)
        raise ValueProblem(f"{value:g} is not a whole number")
    raw = text(value)
    cleaned = raw.replace(",", "")
    if re.fullmatch(r"-?\d+(\.0+)?", cleaned):
        return int(cleaned.split(".")[0])
    raise ValueProblem(f"{raw!r} is not a whole number")


def boolean(value: Any) -> bool | None:
    """yes/no, Y/N, TRUE/FALSE, 1/0 (and an X in a tick column)."""
    if is_blank(value):
        return None
    if isinstance(value, bool):
        return value
    raw = text(value)
    word = raw.lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ValueProblem(f"{raw!r} is not yes or no: write yes, no, Y, N, TRUE, FALSE, 1 or 0")


def squash(word: str) -> str:
    """A word without case, spaces or punctuation: "On-Prem" and "on prem" are one."""
    return re.sub(r"[^a-z0-9]+", "", word.lower())


class Choices:
    """One field's choices and every way a file may write them: the stored value, the label,
    the words `spellings` lists for each value, each with or without a final "s", and any
    abbreviation of three letters or more that begins one value's label or stored value only.
    Built once per field, so reading a cell is a dictionary look-up."""

    def __init__(
        self,
        choices: list[tuple[str, str]],
        spellings: dict[str, tuple[str, ...]] | None = None,
    ) -> None:
        self.choices = choices
        self.words: dict[str, str] = {}
        for stored, label in choices:
            for word in (stored, label, *(spellings or {}).get(stored, ())):
                key = squash(word)
                if key:
                    self.words.setdefault(key, stored)
        for key, stored in list(self.words.items()):  # singular and plural alike
            other = key[:-1] if key.endswith("s") else key + "s"
            self.words.setdefault(other, stored)
        self.names = [(squash(label), squash(stored), stored) for stored, label in choices]

    def find(self, raw: str) -> str | None:
        """The stored value `raw` means, or None."""
        wanted = squash(raw)
        if not wanted:
            return None
        found = self.words.get(wanted)
        if found is not None or len(wanted) < 3:
            return found
        starts = {
            s for label, key, s in self.names if label.startswith(wanted) or key.startswith(wanted)
        }
        return starts.pop() if len(starts) == 1 else None

    def allowed(self) -> str:
        return ", ".join(label for _, label in self.choices)


def choice(
    value: Any,
    choices: "list[tuple[str, str]] | Choices",
    mapped: dict[str, str] | None = None,
) -> str | None:
    """One of a field's choices, by its stored value, its label or another spelling
    (`Choices`), or as the person mapped this file's value (`mapped`: squashed word ->
    stored value, from the import's preview), ignoring case and spacing."""
    if is_blank(value):
        return None
    words = choices if isinstance(choices, Choices) else Choices(choices)
    raw = text(value)
    if mapped:
        found = mapped.get(squash(raw))
        if found is not None:
            return found
    found = words.find(raw)
    if found is not None:
        return found
    raise UnknownChoice(f"{raw!r} is not one of: {words.allowed()}")


class NotFound(ValueProblem):
    """A cell naming a record nobody has: a kind may add such records (`ImportKind.adds`)."""


class UnknownChoice(ValueProblem):
    """A value that is none of a field's choices: the preview offers to map it to one."""


def split_list(value: Any) -> list[str]:
    """Several names in one cell, separated by new lines or semicolons."""
    return [part.strip() for part in re.split(r"[\n;]", text(value)) if part.strip()]
