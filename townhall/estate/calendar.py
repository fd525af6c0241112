"""Writing iCalendar (RFC 5545) feeds that Outlook and Google Calendar subscribe to.

Plain Python, no Django: all-day events (VALUE=DATE), text escaping, line folding at 75
octets and CRLF line endings.
"""

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

PRODID = "-//Townhall//Estate calendar//EN"
CRLF = "\r\n"
LINE_OCTETS = 75


@dataclass(frozen=True)
class Event:
    uid: str  # stable for one record and one kind of date, so updates replace the event
    day: datetime.date
    summary: str
    description: str = ""
    url: str = ""
    stamp: datetime.datetime | None = None  # when the record was last changed
    categories: Sequence[str] = ()


def escape(text: str) -> str:
    """A TEXT value: backslash, semicolon and comma escaped, newlines as \\n."""
    text = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return text.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def fold(line: str) -> str:
    """Split a content line into pieces of at most 75 octets (UTF-8), never inside a
    character; each continuation starts with one space, which counts towards its 75."""
    if len(line.encode("utf-8")) <= LINE_OCTETS:
        return line
    pieces: list[str] = []
    current: list[str] = []
    size, limit = 0, LINE_OCTETS
    for ch in line:
        n = len(ch.encode("utf-8"))
        if size + n > limit:
            pieces.append("".join(current))
            current, size, limit = [], 0, LINE_OCTETS - 1
        current.append(ch)
        size += n
    pieces.append("".join(current))
    return (CRLF + " ").join(pieces)


def _utc(moment: datetime.datetime) -> str:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.UTC)
    return moment.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def _date(day: datetime.date) -> str:
    return day.strftime("%Y%m%d")


def event_lines(event: Event, now: datetime.datetime) -> list[str]:
    lines = [
        "BEGIN:VEVENT",
        f"UID:{event.uid}",
        f"DTSTAMP:{_utc(event.stamp or now)}",
        f"DTSTART;VALUE=DATE:{_date(event.day)}",
        f"DTEND;VALUE=DATE:{_date(event.day + datetime.timedelta(days=1))}",
        f"SUMMARY:{escape(event.summary)}",
    ]
    if event.description:
        lines.append(f"DESCRIPTION:{escape(event.description)}")
    if event.url:
        lines.append(f"URL:{event.url}")
    if event.categories:
        lines.append("CATEGORIES:" + ",".join(escape(c) for c in event.categories))
    lines += ["TRANSP:TRANSPARENT", "END:VEVENT"]
    return lines


def calendar(events: Iterable[Event], *, name: str, now: datetime.datetime) -> str:
    """The whole VCALENDAR as text with CRLF line endings (encode it as UTF-8)."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape(name)}",
    ]
    for event in events:
        lines += event_lines(event, now)
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + CRLF for line in lines)
