"""Card statement descriptors made into comparable merchant keys.

A card statement prints a descriptor, not a name: ``PAYPAL *ZOOM.US 888-799``,
``SQ *GOVFORMS``, ``AMZN Mktp US*2K3``, ``GITHUB.COM DL0OU``. `normalize` takes away what
varies between charges of one merchant and keeps what names it, in this order:

1. case and surrounding spaces;
2. a payment processor's or marketplace's prefix (`PROCESSORS`: PayPal ``PAYPAL *`` and
   ``PP*``, Square ``SQ *``, Toast ``TST*``, Stripe, Shopify ``SP``, Intuit ``IN *``, Google
   ``GOOGLE *``, Microsoft ``MSFT *``, Amazon Marketplace ``AMZN Mktp US*`` …), kept as
   `Merchant.processor`. After a marketplace's prefix only an order reference follows, so the
   merchant is the marketplace itself. Google's and Microsoft's own services keep the
   vendor's name in the key (``GOOGLE *CLOUD`` → ``google cloud``), an app sold through them
   does not (``GOOGLE *TODOIST`` → ``todoist``); when only a reference and a state follow the
   prefix, the charge is the platform's own (``MSFT *E0400AB12CD 800-642-7676 WA``);
3. a domain (``ZOOM.US``, ``APPLE.COM/BILL``), kept as `Merchant.domain`; the key keeps its
   name part (``zoom``);
4. phone numbers (``888-799-1234``, ``(800) 555-0100``, the truncated ``888-799``);
5. store numbers (``#1234``, ``STORE 0042``, ``NO. 12``);
6. punctuation and ``*`` separators (``AT&T`` → ``at t``);
7. initials (``L.P.`` → ``LP``), a word run into a long number (``ADS1234567`` → ``ADS``),
   a repeated first word (``HP *HP STORE``), and reference tokens: numbers, and tokens mixing
   letters and digits (``2K3``, ``DL0OU``, ``KF2SVDADS2``) except the first word when it is
   short, and after the first word runs of five letters or more without a vowel
   (``NRFMXF``); words that are real names in the reference list stay (``8X8``,
   ``1PASSWORD``, ``365``). After a reference vendor's name, a last word that cannot be
   said (`unsayable`) is a reference too (``SLACK SZCERS``);
8. from the end: country, state and a known city after them (``SEATTLE WA``; a city alone
   stays: ``UNIVERSITY OF WASHINGTON``), billing words (``BILL``,
   ``SUBSCRIPTION``, ``ONLINE``, month and day names) and company suffixes (``INC``,
   ``LLC``). The last word is never taken away.

Amazon's own store (``AMAZON.COM``) is marked `Merchant.marketplace` like a Marketplace
order: it sells office supplies and IT hardware alike (`STORES_OF_EVERYTHING`).

Every step that removes something says so in `Merchant.why`. A year of card data repeats its
descriptors, so results are cached by the raw string.

`group` maps keys that are spellings of one vendor to one canonical key: through the
reference list's aliases and domains (`townhall.shadowit.vendors`), names the caller knows
(the estate's vendors), and between the keys themselves by conservative rules (same letters
without spaces, a web address printed without its dot, a whole-word prefix of five letters
or more, one or two typing differences in a long name), after joining a name and its
references made of letters (``slack szcers`` → ``slack``, see `_reference_variants`).
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

REFERENCE = Path(__file__).resolve().parent / "reference"


@dataclass(frozen=True)
class Merchant:
    """One merchant as a descriptor names it: a key to compare, and what was taken away."""

    key: str
    name: str
    domain: str | None = None
    processor: str | None = None
    # Two descriptors of one merchant differ in what was stripped, not in the merchant.
    why: tuple[str, ...] = field(default=(), compare=False)
    raw: str = field(default="", compare=False)
    marketplace: bool = False


@dataclass(frozen=True)
class Processor:
    name: str
    pattern: re.Pattern[str]
    # "processor": a third party takes the payment, the merchant follows.
    # "marketplace": the merchant is the marketplace; what follows is an order reference.
    # "platform": the processor is also a vendor whose own services follow (`own` words).
    kind: str = "processor"
    key: str = ""
    own: frozenset[str] = frozenset()
    display: str = ""


def _p(name: str, pattern: str, kind: str = "processor", key: str = "", own: str = "") -> Processor:
    key = key or name.lower()
    return Processor(
        name,
        re.compile(pattern),
        kind,
        key,
        frozenset(own.split()),
        " ".join(w.capitalize() for w in key.split()),
    )


PROCESSORS: tuple[Processor, ...] = (
    _p("PayPal", r"PAYPAL\s*\*\s*|PP\s*\*\s*"),
    _p("Square", r"SQ\s*\*\s*|SQU\s*\*\s*"),
    _p("Squarespace", r"SQSP\s*\*\s*", "marketplace", "squarespace"),
    _p("Toast", r"TST\s*\*\s*"),
    _p("Stripe", r"STRIPE\s*\*\s*"),
    _p("Shopify", r"SP\s*\*\s*|SP\s+(?!PLUS\b)(?=\S)"),
    _p("Intuit payments", r"IN\s*\*\s*", key="intuit payments"),
    _p("FastSpring", r"FS\s*\*\s*"),
    _p("Paddle", r"PADDLE\.NET\s*\*\s*|PADDLE\s*\*\s*"),
    _p("Digital River", r"DRI\s*\*\s*", key="digital river"),
    _p("2Checkout", r"2CO(?:\.COM)?\s*\*\s*|2CHECKOUT\s*\*?\s*"),
    _p("Eventbrite", r"EB\s*\*\s*"),
    _p("GoDaddy", r"DNH\s*\*\s*", key="godaddy"),
    _p(
        "Amazon Marketplace",
        r"AMZN\s*MKTPL?\s*(?:US|CA)?\s*\*?\s*|AMAZON\s*MKTPL?(?:ACE)?\s*(?:US|CA)?\s*\*?\s*"
        r"|AMAZON\s+MARKETPLACE\s*\*?\s*|AMAZON\.COM\s*\*\s*|AMZN\.COM/BILL\s*",
        "marketplace",
        "amazon marketplace",
    ),
    _p(
        "Google",
        r"GOOGLE\s*\*\s*",
        "platform",
        own="ADS ADWORDS CLOUD GSUITE WORKSPACE STORAGE DOMAINS YOUTUBE FIBER FI ONE MAPS PLAY",
    ),
    _p(
        "Microsoft",
        r"MSFT\s*\*\s*|MICROSOFT\s*\*\s*",
        "platform",
        key="microsoft",
        own="AZURE OFFICE 365 STORE XBOX TEAMS STORE BING ADS",
    ),
    _p("Apple", r"APL\s*\*\s*|APPLE\s*\*\s*", "platform", own="ICLOUD ITUNES STORE MUSIC TV"),
)

# Amazon's own store, as its plain charges print it: like a Marketplace order, it sells office
# supplies and IT hardware alike, so its name says nothing of what was bought.
STORES_OF_EVERYTHING = frozenset(
    {"amazon", "amazon com", "amazon retail", "amazon marketplace", "amazon mktplace"}
)

# Marketplace orders are most of the descriptors seen only once: found by their first letters.
_MARKETPLACE_BY_START = {
    start: p
    for p in PROCESSORS
    if p.kind == "marketplace"
    for start in (("SQSP",) if p.key == "squarespace" else ("AMZN", "AMAZ"))
}
_PROCESSOR = re.compile(
    "|".join(f"(?P<p{i}>{p.pattern.pattern})" for i, p in enumerate(PROCESSORS))
)

_DOMAIN = re.compile(
    r"\b(?:WWW\.)?((?:[A-Z0-9][A-Z0-9-]*\.)+"
    r"(?:COM|NET|ORG|IO|US|CO|AI|APP|DEV|GOV|INFO|BIZ|CLOUD|TV|ME|LY|SO|SH))\b(?:/\S*)?"
)
_PHONE = re.compile(
    r"(?:\+?1[-. ]?)?\(?\b\d{3}\)?[-. ]?\d{3}[-. ]\d{4}\b"
    r"|\b1?8[0-9]{2}\d{7}\b|\b\d{3}-\d{7}\b|\b8[0-9]{2}-[A-Z]{4,7}\b"
    r"|\b\d{3}-\d{3,4}\b"
)
_STORE = re.compile(r"#\s*\d+\b|\b(?:STORE|STR|STE|NO|NUM|LOC|UNIT)\s*[#.]?\s*\d+\b")
_APOSTROPHE = re.compile(r"['`’]")
_SEPARATORS = re.compile(r"[^A-Z0-9]+")
_HAS_DIGIT = re.compile(r"\d")
# Every phone number form has three digits followed by three more or by letters (800-COMCAST).
_PHONE_HINT = re.compile(r"\d{3}[-. )]*(?:\d{3}|[A-Z]{4})")
_HAS_LETTER = re.compile(r"[A-Z]")
_VOWELS = frozenset("AEIOUY")
_INITIALS = re.compile(r"\b([A-Z])\.([A-Z])\b\.?")
_WORD_THEN_NUMBER = re.compile(r"\b([A-Z]{3,})(\d{6,})\b")

STATES = frozenset(
    "AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH "
    "NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY PR".split()
)
COUNTRIES = frozenset("US USA IE GB LU NL SG AU CAN".split())
CITIES = frozenset(
    c.strip()
    for c in """SEATTLE, REDMOND, BELLEVUE, TACOMA, SPOKANE, PORTLAND, SAN FRANCISCO, SAN JOSE,
    SANTA CLARA, SUNNYVALE, MOUNTAIN VIEW, PALO ALTO, MENLO PARK, CUPERTINO, OAKLAND,
    LOS ANGELES, SAN DIEGO, SACRAMENTO, IRVINE, AUSTIN, DALLAS, HOUSTON, SAN ANTONIO,
    ROUND ROCK, PLANO, DENVER, BOULDER, PHOENIX, TEMPE, SCOTTSDALE, SALT LAKE CITY, LEHI,
    PROVO, CHICAGO, DETROIT, MINNEAPOLIS, COLUMBUS, CLEVELAND, INDIANAPOLIS, ATLANTA,
    MIAMI, ORLANDO, TAMPA, CHARLOTTE, RALEIGH, DURHAM, NASHVILLE, BOSTON, CAMBRIDGE,
    NEW YORK, BROOKLYN, PHILADELPHIA, PITTSBURGH, BALTIMORE, WASHINGTON, ARLINGTON,
    RESTON, HERNDON, RICHMOND, NORFOLK, KANSAS CITY, ST LOUIS, OMAHA, LAS VEGAS, RENO,
    ALBUQUERQUE, BOISE, ANCHORAGE, HONOLULU, ROUND ROCK, EDEN PRAIRIE, SAN MATEO,
    ALPHARETTA, REDLANDS, ENGLEWOOD, BASKING RIDGE, SCHAUMBURG, VERNON HILLS, CHANDLER,
    REDWOOD CITY, FREMONT, DUBLIN, LONDON, TORONTO, VANCOUVER, INTERNET, ONLINE""".split(",")
)
_CITY_WORDS = {tuple(c.split()) for c in CITIES}
_CITY_LAST = {c[-1] for c in _CITY_WORDS}
_WEB = {("INTERNET",), ("ONLINE",)}
NOISE = frozenset(
    "BILL BILLING PAYMENT PAYMENTS PMT SUBSCRIPTION SUBSCR SUBS SUB RECURRING ONLINE INTERNET "
    "HTTPS HTTP WWW RENEWAL MONTHLY ANNUAL INV INVOICE ORDER PURCHASE CHARGE HELP "
    "JAN FEB MAR APR MAY JUN JUL AUG SEP OCT NOV DEC MON TUE WED THU FRI SAT SUN".split()
)
SUFFIXES = frozenset("INC LLC CORP CO LTD CORPORATION COMPANY LP PLLC LLP PTY GMBH".split())


@lru_cache(maxsize=1)
def _keep_tokens() -> frozenset[str]:
    """Words with digits that are real names in the reference list (``8X8``, ``365``)."""
    keep: set[str] = set()
    with (REFERENCE / "technology_vendors.csv").open(newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            for text in [row["name"], *row["aliases"].split(";")]:
                for token in _SEPARATORS.split(text.upper()):
                    if _HAS_DIGIT.search(token) and (_HAS_LETTER.search(token) or len(token) >= 3):
                        keep.add(token)
    return frozenset(keep)


@lru_cache(maxsize=1)
def _vendor_names() -> tuple[frozenset[tuple[str, ...]], frozenset[str]]:
    """The reference list's names and aliases as words, and every word of them."""
    names: set[tuple[str, ...]] = set()
    with (REFERENCE / "technology_vendors.csv").open(newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            for text in [row["name"], *row["aliases"].split(";")]:
                words = tuple(t for t in _SEPARATORS.split(text.upper()) if t)
                if words:
                    names.add(words)
    return frozenset(names), frozenset(w for name in names for w in name)


# The consonants English lets a word start with, end with, and the ends that may meet inside
# it (``STR``, ``NGTHS``); a few spellings from names cities meet (``SCHW``, ``PF``, ``MC``).
_ONSETS = frozenset(
    "B C D F G H J K L M N P Q R S T V W X Z "
    "BL BR CH CL CR DJ DR DW FL FR GH GL GN GR GW KH KL KN KR KW MC PF PH PL PR PS RH SC SH SK "
    "SL SM SN SP SQ ST SW SZ TH TR TS TW WH WR ZH "
    "CHR MCC MCD MCG MCK MCL MCM MCN MCR PHR SCH SCR SHR SPH SPL SPR STR THR SCHN SCHR SCHW".split()
)
_CODAS = frozenset(
    "B C D F G H J K L M N P Q R S T V W X Z "
    "BB BS CC CH CK CS CT DD DS DT FF FS FT GG GH GN GS GT HN HT KS LB LC LD LF LK LL LM LN LP "
    "LS LT LV LZ MB MM MN MP MS NC ND NG NK NN NS NT NX NZ PH PP PS PT RB RC RD RF RG RK RL RM "
    "RN RP RR RS RT RV RX RZ SH SK SP SS ST TH TS TT TZ WK WL WN WS WT XT ZZ "
    "CHS CHT CKS CTS DTH FFS FTH FTS GHS GHT GNS LDS LFS LKS LLS LMS LPS LTH LTS LTZ MBS MPS MPT "
    "NCH NCT NDS NGS NKS NST NTH NTS PHS PTH PTS RBS RCH RDS RGH RGS RKS RLD RLS RMS RNS RPS "
    "RSH RST RTH RTS RTZ SCH SKS SPS STS THM THS TCH TTS WNS XTH XTS "
    "CHTS GHTS LFTH MPTS NGTH NTHS PTHS RLDS RTHS".split()
)
_SOUNDS = re.compile(r"[AEIOUY]+|[^AEIOUY]+")


def _medial(run: str) -> bool:
    """A consonant run inside a word: an ending followed by a beginning (``NGTHS|TR``)."""
    return any(
        (run[:i] in _CODAS or not run[:i]) and (run[i:] in _ONSETS or not run[i:])
        for i in range(len(run) + 1)
    )


def unsayable(token: str) -> bool:
    """Whether a word of five letters or more cannot be said, as a random reference cannot.

    ``SZCERS`` and ``VWKTEZ`` start with consonants no word starts with; ``SCHOOL``,
    ``STRENGTH`` and ``PITTSBURGH`` are said. Words of the reference list never count.
    """
    if len(token) < 5 or not token.isalpha() or token in _vendor_names()[1]:
        return False
    parts = _SOUNDS.findall(token)
    if len(parts) == 1:
        return True  # no vowel, or only vowels
    last = len(parts) - 1
    for i, part in enumerate(parts):
        if part[0] in _VOWELS:
            if len(part) > 4:
                return True
        elif not (part in _ONSETS if i == 0 else part in _CODAS if i == last else _medial(part)):
            return True
    q = token.find("Q")
    return 0 <= q < len(token) - 1 and token[q + 1] != "U"


def _is_reference(token: str, position: int, keep: frozenset[str]) -> str | None:
    """Why `token` is a reference number rather than part of a name, or None."""
    if token in keep or not _HAS_DIGIT.search(token):
        return None
    if not _HAS_LETTER.search(token):
        return "number"
    if position == 0 and not (len(token) >= 5 and len(_HAS_DIGIT.findall(token)) >= 2):
        return None
    return "reference"


def _is_letters_reference(token: str, position: int, keep: frozenset[str]) -> bool:
    """A run of five letters or more without a vowel after the first word (``NRFMXF``)."""
    return position > 0 and len(token) >= 5 and token not in keep and not _VOWELS & set(token)


def _label(domain: str) -> str:
    """The name part of a domain: the label before the top-level one, without hyphens."""
    labels = domain.split(".")
    return labels[-2].replace("-", "")


def _own(token: str, own: frozenset[str]) -> bool:
    """Whether `token` names one of a platform's own services (or is one cut short)."""
    return token in own or (len(token) >= 3 and any(o.startswith(token) for o in own))


def _only_place_or_billing(token: str) -> bool:
    """A word that is never a merchant's whole name: a state, a country, a billing word."""
    return token in STATES or token in COUNTRIES or token in NOISE


def _word_name(word: str) -> str:
    """``CDW``, ``HP`` and ``AT`` stay capitals; other words are capitalised."""
    if len(word) <= 2 or (len(word) <= 4 and word.isalpha() and not set(word) & set("AEIOUY")):
        return word
    return word.capitalize()


def normalize(descriptor: str) -> Merchant:
    """The merchant a card descriptor names (cached by the raw string)."""
    return _normalize(descriptor if isinstance(descriptor, str) else str(descriptor or ""))


def parse(raw: str) -> Merchant:
    """`normalize` without its cache, for callers that keep their own."""
    text = " ".join(raw.upper().split())
    market = _MARKETPLACE_BY_START.get(text[:4])
    if market is not None:
        m = market.pattern.match(text)
        if m:
            return _marketplace(market, m, text, raw)
    why: list[str] = []
    processor: Processor | None = None
    m = _PROCESSOR.match(text)
    if m and m.lastgroup:
        candidate = PROCESSORS[int(m.lastgroup[1:])]
        if candidate.kind == "marketplace":
            return _marketplace(candidate, m, text, raw)
        if m.end() < len(text):
            processor = candidate
            why.append(f"payment prefix '{m.group(0).strip()}' ({candidate.name})")
            text = text[m.end() :]

    domain = None
    # The cheap tests first: most descriptors have no dot, many no digits.
    m = _DOMAIN.search(text) if "." in text else None
    if m:
        domain = m.group(1).lower()
        if domain.startswith("www."):
            domain = domain[4:]
        why.append(f"domain {domain}")
        label = _label(domain).upper()
        rest = f"{text[: m.start()]} {text[m.end() :]}"
        if label in _SEPARATORS.split(rest):
            text = rest  # the name is already there (UBER *TRIP HELP.UBER.COM)
        else:
            text = f"{text[: m.start()]} {label} {text[m.end() :]}"

    digits = _HAS_DIGIT.search(text) is not None
    phone = digits and _PHONE_HINT.search(text) is not None
    for pattern, what, test in ((_PHONE, "phone number", phone), (_STORE, "store number", digits)):
        found = pattern.findall(text) if test else None
        if found:
            why.extend(f"{what} '{f.strip()}'" for f in found)
            text = pattern.sub(" ", text)

    if "'" in text or "`" in text or "’" in text:
        text = _APOSTROPHE.sub("", text)
    if "." in text:
        text = _INITIALS.sub(r"\1\2", text)
    if digits:
        text = _WORD_THEN_NUMBER.sub(r"\1 \2", text)
    tokens = _SEPARATORS.split(text)
    tokens = [t for t in tokens if t]
    keep = _keep_tokens()
    kept: list[str] = []
    for token in tokens:
        if token.isalpha():
            kind = "reference" if _is_letters_reference(token, len(kept), keep) else None
        else:
            kind = _is_reference(token, len(kept), keep)
        if kind:
            why.append(f"{kind} '{token}'")
        else:
            kept.append(token)
    tokens = kept
    if len(tokens) > 1 and tokens[0] == tokens[1]:
        tokens.pop(0)  # HP *HP STORE

    changed = True
    after_state = False
    while changed and len(tokens) > 1:
        changed = False
        last = tokens[-1]
        if last in COUNTRIES or last in STATES:
            why.append(f"{'country' if last in COUNTRIES else 'state'} '{last}'")
            tokens.pop()
            changed = after_state = True
            continue
        for size in (3, 2, 1) if last in _CITY_LAST else ():
            words = tuple(tokens[-size:])
            if len(tokens) > size and words in _CITY_WORDS and (after_state or words in _WEB):
                why.append(f"city '{' '.join(tokens[-size:])}'")
                del tokens[-size:]
                changed = True
                break
        if changed:
            continue
        if last in NOISE or last in SUFFIXES:
            why.append(f"{'billing word' if last in NOISE else 'company suffix'} '{last}'")
            tokens.pop()
            changed = True

    if len(tokens) > 1 and tuple(tokens[:-1]) in _vendor_names()[0] and unsayable(tokens[-1]):
        # SLACK SZCERS: a reference vendor's name, then a reference made only of letters.
        why.append(f"reference '{tokens.pop()}'")

    if processor is not None and len(tokens) == 1 and _only_place_or_billing(tokens[0]):
        # MSFT *E0400AB12CD 800-642-7676 WA: the reference went, the state alone is no name.
        why.append(f"{'state' if tokens[0] in STATES else 'country or billing word'} '{tokens[0]}'")
        tokens = []
    if processor is not None and processor.kind == "platform":
        if not tokens or _own(tokens[0], processor.own):
            tokens = [processor.key.upper(), *tokens]
    elif not tokens and processor is not None:
        tokens = processor.key.upper().split()
    if not tokens:
        tokens = [t for t in _SEPARATORS.split(raw.upper()) if t][:3] or ["UNKNOWN"]

    key = " ".join(tokens).lower()
    name = " ".join(_word_name(w) for w in tokens)
    if domain and _label(domain) == key.replace(" ", ""):
        name = domain
    return Merchant(
        key=key,
        name=name,
        domain=domain,
        processor=processor.name if processor else None,
        why=tuple(why),
        raw=raw,
        marketplace=key in STORES_OF_EVERYTHING,
    )


def _marketplace(market: Processor, m: re.Match[str], text: str, raw: str) -> Merchant:
    """A marketplace's charge: what follows its prefix is an order reference, not a name."""
    prefix, reference = m.group(0).strip(), text[m.end() :].strip()
    why = f"payment prefix '{prefix}' ({market.name})"
    return Merchant(
        market.key,
        market.display,
        None,
        market.name,
        (why, f"order reference '{reference}'") if reference else (why,),
        raw,
        market.key == "amazon marketplace",
    )


_normalize = lru_cache(maxsize=131072)(parse)


def compact(key: str) -> str:
    """A key without its spaces: ``go to meeting`` = ``gotomeeting``."""
    return key.replace(" ", "")


def _distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance, stopped early once it exceeds `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        best = i
        for j, cb in enumerate(b, 1):
            value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb))
            current.append(value)
            best = min(best, value)
        if best > limit:
            return limit + 1
        previous = current
    return previous[-1]


def _word_prefix(short: str, long: str) -> bool:
    return long.startswith(short + " ") and len(short.split()[0]) >= 5


def _run_together_address(a: str, b: str) -> bool:
    """``acmeformscom`` is ``acme forms`` with its web address's dot dropped."""
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return len(short) >= 4 and long == short + "com"


def _deletions(text: str, most: int) -> set[str]:
    """`text` and every string made from it by deleting up to `most` letters: two strings a
    typing difference or two apart share one of them."""
    found = {text}
    edge = {text}
    for _ in range(most):
        edge = {t[:i] + t[i + 1 :] for t in edge for i in range(len(t))}
        found |= edge
    return found


def _near_pairs(keys: list[str]) -> Iterator[tuple[str, str]]:
    """The pairs of keys that are spellings of one name: the same letters without spaces, a
    whole-word prefix whose first word has five letters or more, a web address with its dot
    dropped, or one typing difference (two when both have twelve letters or more) between
    names of six letters or more whose first words start alike.

    Found without comparing every key with every other: by the letters without spaces, by
    each key's own whole-word prefixes, and for typing differences by the strings the keys
    give when one or two letters are deleted (a key shares one with each key a typing
    difference or two away), among keys starting alike. Only those few pairs are measured."""
    present = set(keys)
    by_compact: dict[str, list[str]] = {}
    for key in keys:
        by_compact.setdefault(compact(key), []).append(key)
    for same in by_compact.values():
        for other in same[1:]:
            yield same[0], other
    # By the start two keys share, then by a string both give with letters deleted.
    nearby: dict[tuple[str, str], dict[str, list[str]]] = {}
    for key in keys:
        for i, char in enumerate(key):
            if char == " " and key[:i] in present and _word_prefix(key[:i], key):
                yield key[:i], key
        letters = compact(key)
        if letters.endswith("com") and len(letters) >= 7:
            for other in by_compact.get(letters[:-3], ()):
                yield other, key
        if len(letters) >= 6:
            variants = nearby.setdefault((key.split()[0][:3], letters[:2]), {})
            for variant in _deletions(letters, 2 if len(letters) >= 12 else 1):
                variants.setdefault(variant, []).append(key)
    measured: set[tuple[str, str]] = set()
    for near in (near for variants in nearby.values() for near in variants.values()):
        if len(near) < 2:  # most strings come from one key alone
            continue
        for i, a in enumerate(near):
            for b in near[i + 1 :]:
                pair = (a, b) if a < b else (b, a)
                if pair in measured:
                    continue
                measured.add(pair)
                ca, cb = compact(a), compact(b)
                if ca == cb:
                    continue
                limit = 2 if min(len(ca), len(cb)) >= 12 else 1
                if _distance(ca, cb, limit) <= limit:
                    yield a, b


def group(keys: Iterable[str], known: Iterable[str] = ()) -> dict[str, str]:
    """Each key → the canonical key of its vendor.

    A key the reference list knows (alias, domain name, or a longer or truncated spelling of
    an alias) goes to that vendor's key; else one the caller `known` names (normalised, e.g.
    the estate's vendors) goes to that name's key; the rest are grouped among themselves, the
    most frequent spelling (then the shortest) naming the group.
    """
    from townhall.shadowit import vendors

    counts = Counter(keys)
    result: dict[str, str] = {}
    known_keys = {normalize(name).key for name in known}
    known_compact = {compact(k): k for k in known_keys}
    rest: list[str] = []
    stems = _reference_variants(counts, known_keys)
    for key in counts:
        if key in stems:
            continue
        vendor = vendors.lookup_key(key)
        if vendor is not None:
            result[key] = vendor.key
            continue
        if key in known_keys:
            result[key] = key
            continue
        target = known_compact.get(compact(key))
        if target is None:
            target = next(
                (
                    k
                    for k in sorted(known_keys)
                    if (len(k) >= 8 and key.startswith(k + " "))
                    or (len(key) >= 8 and k.startswith(key))
                ),
                None,
            )
        if target is not None:
            result[key] = target
        else:
            rest.append(key)

    parent = {k: k for k in rest}

    def find(k: str) -> str:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    def union(a: str, b: str) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[rb] = ra

    for a, b in _near_pairs(rest):
        union(a, b)

    members: dict[str, list[str]] = {}
    for key in rest:
        members.setdefault(find(key), []).append(key)
    for group_keys in members.values():
        canonical = min(group_keys, key=lambda k: (-counts[k], len(k), k))
        for key in group_keys:
            result[key] = canonical
    for key in stems:
        stem = key
        while stem in stems:
            stem = stems[stem]
        vendor = vendors.lookup_key(stem)
        result[key] = result.get(stem) or (vendor.key if vendor else stem)
    return result


def first_key(key: str, spellings: Mapping[str, str]) -> str:
    """The merchant key a new charge of normalised `key` is given before it is grouped with
    the others: how `group` last grouped that spelling (`spellings`), else the reference
    vendor's key when the list knows it (as `group` would give), else the key itself."""
    from townhall.shadowit import vendors

    grouped = spellings.get(key)
    if grouped:
        return grouped
    vendor = vendors.lookup_key(key)
    return vendor.key if vendor is not None else key


def _reference_variants(counts: Mapping[str, int], known: set[str]) -> dict[str, str]:
    """Keys that are another's name and a reference made of letters: key → that name.

    ``slack szcers`` is ``slack`` when the last word cannot be said and the rest is a key
    here, a name the caller knows or a reference vendor's; or, after a reference vendor's name,
    when two or more such last words of the same length vary (``slack bakuye``,
    ``slack yelkel``), each seen less often than the name alone. Words of ordinary trade
    never count (``slack water``, ``zoom arena`` are other places).
    """
    from townhall.shadowit import vendors

    lasts: dict[str, list[str]] = {}
    for key in counts:
        stem, _, last = key.rpartition(" ")
        if stem and len(last) >= 5 and last.isalpha() and last.upper() not in vendors.ORDINARY:
            lasts.setdefault(stem, []).append(last)
    joined: dict[str, str] = {}
    for stem, words in lasts.items():
        vendor = vendors.lookup_key(stem)
        if stem not in counts and stem not in known and vendor is None:
            continue
        sizes = Counter(len(w) for w in words)
        for word in words:
            key = f"{stem} {word}"
            if unsayable(word.upper()) or (
                vendor is not None
                and sizes[len(word)] >= 2
                and counts[key] < max(counts.get(stem, 0), 2)
            ):
                joined[key] = stem
    return joined
