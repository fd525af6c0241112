"""What modules add to the platform and to each other's pages.

The platform (`PLATFORM_APPS`) imports no module, and a module imports only the modules
before it in `MODULE_ORDER` (`core/tests/test_import_rules.py` checks every import). So
when a page of an earlier module shows something a later one knows — the continuity panel
on an estate service's page, cyber's evidence expiries in the estate calendar feed — the
later module registers it here from its app config's `ready()`, and the earlier page shows
whatever is registered. Modelled on NetBox's template extensions and `register_model_view`.

- `register_panel(("estate.Service",), Panel(...))`: a panel on another module's record page;
- `register_calendar_events(func)`: events in the personal calendar feed;
- `register_single_points(SinglePoints(...))`: what the dependency page marks as single
  points of failure;
- `register_import_kind(ImportKind(...))` and `register_import_finder("estate.Vendor", func)`:
  a kind of record the spreadsheet importer reads, and how it finds a record by its name;
- `register_menu(Section(...))`: a module's section of the main menu;
- `register_home_link(HomeLink(...))`: a button on the home page (the estate dashboard);
- `register_home_notice(func)`: what waits for the person, at the top of their home page;
- `register_home(func)`: the home page itself, built for the person's role (one at a time);
- `register_demo("townhall.estate.demo.load", 10)`: a module's part of the demo county.
"""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import models

# Platform apps: they import no module.
PLATFORM_APPS = ("core", "imports", "jobs", "accounts", "org", "audit", "signin", "scim")
# Modules in the order they build on each other: each imports only those before it.
MODULE_ORDER = (
    "estate",
    "governance",
    "cyber",
    "continuity",
    "foundation",
    "shadowit",
    "people",
    "registers",
    "public",
    "exchange",
)


def _label(model: type[models.Model] | models.Model) -> str:
    return model._meta.label  # "estate.Service"


# --- panels on another module's record pages -----------------------------------------


@dataclass(frozen=True)
class Panel:
    """A section a module adds to another module's record page.

    `template` renders it with the page's context plus `panel`: whatever `context(request,
    obj)` returns (None: nothing to show on this record). `visible(user)` says who gets it
    at all (None: everyone who may see the record). Panels show in `order`."""

    name: str
    template: str
    context: Callable[[Any, Any], dict[str, Any] | None]
    order: int = 100
    visible: Callable[[Any], bool] | None = None


_panels: dict[str, list[Panel]] = {}


def register_panel(models_: Iterable[str], panel: Panel) -> Panel:
    """Show `panel` on the record pages of each of `models_` ("estate.Service")."""
    for label in models_:
        kept = [p for p in _panels.get(label, []) if p.name != panel.name]
        _panels[label] = sorted([*kept, panel], key=lambda p: (p.order, p.name))
    return panel


def panels(request: Any, obj: models.Model) -> list[dict[str, Any]]:
    """The panels registered for `obj`'s model that its reader gets, each as {"template",
    "context", "name"} for the page to include in order."""
    shown = []
    for panel in _panels.get(_label(obj), []):
        if panel.visible is not None and not panel.visible(request.user):
            continue
        context = panel.context(request, obj)
        if context is not None:
            shown.append({"name": panel.name, "template": panel.template, "context": context})
    return shown


# --- calendar events and the dependency page's single points of failure --------------

# (user, first day, last day, site address) -> events (estate.calendar.Event)
CalendarEvents = Callable[[Any, Any, Any, str], list[Any]]
_calendar_events: list[CalendarEvents] = []


def register_calendar_events(func: CalendarEvents) -> CalendarEvents:
    """Add `func`'s events (for one person, between two days) to the calendar feed."""
    if func not in _calendar_events:
        _calendar_events.append(func)
    return func


def calendar_events(user: Any, start: Any, stop: Any, base_url: str) -> list[Any]:
    return [event for func in _calendar_events for event in func(user, start, stop, base_url)]


@dataclass(frozen=True)
class SinglePoints:
    """What the dependency page marks as single points of failure: `counts(user)` gives
    {(kind, id): how many essential services its loss stops}, or None when there is too
    much to tell there; `more` is the URL name of the page that ranks them all, `anchor`
    the part of it ("#single-points")."""

    counts: Callable[[Any], dict[tuple[str, Any], int] | None]
    more: str
    anchor: str = ""


_single_points: list[SinglePoints] = []


def register_single_points(marks: SinglePoints) -> SinglePoints:
    """The module that judges what an item's loss stops (continuity); one at a time."""
    _single_points[:] = [marks]
    return marks


def single_points() -> SinglePoints | None:
    return _single_points[0] if _single_points else None


# --- spreadsheet import ----------------------------------------------------------------


@dataclass(frozen=True)
class ImportKind:
    """A kind of record the importer reads: its key ("system"), plural label and model
    ("estate.System"), loaded in `order` (a new city's order: departments before the
    services they own). The rest is optional:

    - `name_field`: the field people call a record by ("title" for a contract), and
      `name_spellings`: how people head its column;
    - `items`: fields naming the one estate item a record describes ("service" for an
      impact analysis), by which it is found instead of by a name;
    - `fields`: the columns, when not its form's fields; `grid`: a function giving the
      `imports.grid.Grid` of a JSON field read from one column per cell;
    - `ends`: for a link between records read as "system:Payroll" in a "From" and a "To"
      column, the kinds of end (name -> model label); `target_ends`: kinds only the "To"
      column may name (a dependency on a redundancy group: "group:Web servers");
    - `indexed`: records matched from an index of every key in memory (no query per row);
    - `natural_key`: the fields that together name one record, for a kind without a name
      (a training completion: its person, course and day), so importing a file again
      finds the records it added instead of adding them twice; a key field the file has no
      column for is read as the field's default (a card statement says nothing of how it
      was paid: by card, the default), and one that may be empty is matched empty (a
      surveillance review of a system has no pilot);
    - `occurrence`: a field of the natural key the importer fills itself, counting the
      rows of the file with the same other values (1, 2, …): two identical coffees of one
      day on a card statement stay two, and importing the file again finds both; such a
      kind may name `other_keys` too (a purchase's transaction reference), tried before
      the natural key when the row has them, and `other_keys_within`: the fields within
      which such a key names one record (an invoice number is the payee's own, so a
      purchase's reference names one only with how it was paid and to whom as printed);
    - `settled_by`: a field of the natural key a record leaves empty until it is settled
      (a pending surveillance review has no decision day): a row with it given that finds
      no record takes the one with the rest of its key and that field empty, so the file
      that records the decision settles the pending record instead of adding a second
      (matched row by row: the in-memory index of an `indexed` kind does not do this);
    - `column_spellings`: how people head the other columns (field -> headings);
    - `adds`: references a row may name before they exist, added through the write path
      as the row is saved (field -> the new record's values besides its name: a course a
      completions file names is added as an optional course); a row naming one is saved
      on its own, never in a batch;
    - `fixed`: values every row of the kind takes, whatever the file says, set as the row is
      read, before it is checked or matched (field -> value): a second kind on the same
      model reading a whole file one way (accounts-payable lines are purchases paid by
      payables, `{"paid_by": "payables"}`); leave such fields out of `fields`.

    How a row finds the record it updates (by external ID first, always), for a kind with
    neither `items`, `natural_key` nor `ends`:

    - `unique_within`: the field within which a name names one record ("owner_department",
      the default; "vendor" for a contract's title), or "" when names are unique across
      the kind (a location);
    - `other_keys`: fields that name a record on their own, tried before the name (a
      contract's number);
    - `alias_field`: a field of other names, one per line: the name is then matched in any
      case or among those (a vendor called "MSFT" or "Microsoft Corp.");
    - `link_key`: for a link (`ends`), the fields that with its two ends tell one link from
      another (a dependency's kind), when the file has them.
    """

    key: str
    label: str
    model: str
    order: int
    name_field: str = "name"
    name_spellings: tuple[str, ...] = ()
    items: tuple[str, ...] = ()
    fields: tuple[str, ...] = ()
    grid: Callable[[], Any] | None = None
    ends: dict[str, str] = field(default_factory=dict)
    target_ends: dict[str, str] = field(default_factory=dict)
    indexed: bool = False
    natural_key: tuple[str, ...] = ()
    occurrence: str = ""
    settled_by: str = ""
    column_spellings: dict[str, tuple[str, ...]] = field(default_factory=dict)
    adds: dict[str, dict[str, Any]] = field(default_factory=dict)
    fixed: dict[str, Any] = field(default_factory=dict)
    unique_within: str = "owner_department"
    other_keys: tuple[str, ...] = ()
    other_keys_within: tuple[str, ...] = ()
    alias_field: str = ""
    link_key: tuple[str, ...] = ()


_import_kinds: dict[str, ImportKind] = {}
# model label -> function(queryset, text, department id) -> the one record `text` names
_import_finders: dict[str, Callable[[Any, str, int | None], Any]] = {}


def register_import_kind(kind: ImportKind) -> ImportKind:
    _import_kinds[kind.key] = kind
    return kind


def import_kinds() -> list[ImportKind]:
    """Every registered kind, in the order a new city loads them."""
    return sorted(_import_kinds.values(), key=lambda k: (k.order, k.key))


def register_import_finder(
    model: str, func: Callable[[Any, str, int | None], Any]
) -> Callable[[Any, str, int | None], Any]:
    """How the importer finds the record of `model` a cell names, when not by its name
    alone (a vendor by an alias, a person by e-mail). `func(qs, text, department_id)`
    returns it or raises `imports.values.ValueProblem`."""
    _import_finders[model] = func
    return func


def import_finder(model: type[models.Model]) -> Callable[[Any, str, int | None], Any] | None:
    return _import_finders.get(_label(model))


# --- the demo county and the home page -------------------------------------------------

# (order, dotted path of a `load(scale, seed)` function): the platform's loaders and the
# modules', run in order (modules after the estate they build on).
_demo_loaders: dict[str, int] = {
    "townhall.org.demo.load": 0,
    "townhall.accounts.demo.load": 15,
}


def register_demo(path: str, order: int) -> None:
    """A module's part of the demo county: `path` names its `load(scale, seed)`."""
    _demo_loaders[path] = order


def demo_loaders() -> list[str]:
    return sorted(_demo_loaders, key=lambda path: (_demo_loaders[path], path))


@dataclass(frozen=True)
class HomeLink:
    """A button on the home page (a module's dashboard)."""

    label: str
    url_name: str
    order: int = 100


_home_links: dict[str, HomeLink] = {}


def register_home_link(link: HomeLink) -> HomeLink:
    _home_links[link.url_name] = link
    return link


def home_links() -> list[HomeLink]:
    return sorted(_home_links.values(), key=lambda link: (link.order, link.label))


@dataclass(frozen=True)
class HomeNotice:
    """Something waiting for the person, shown at the top of their home page: a sentence,
    the address of the page where they act on it, and that link's words."""

    text: str
    url: str
    action: str


# (user) -> HomeNotice or None; each must cost at most a query, and none for people it
# never concerns (the home page asks every one of them on every visit).
_home_notices: list[Callable[[Any], HomeNotice | None]] = []


def register_home_notice(
    func: Callable[[Any], HomeNotice | None],
) -> Callable[[Any], HomeNotice | None]:
    """Tell people on their home page what is waiting for them (a liaison's unanswered
    questions about their department's purchases)."""
    if func not in _home_notices:
        _home_notices.append(func)
    return func


def home_notices(user: Any) -> list[HomeNotice]:
    return [notice for func in _home_notices if (notice := func(user)) is not None]


# (request) -> the person's home page, or None for the platform's own (the record counts)
_home: list[Callable[[Any], Any]] = []


def register_home(func: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """The module that builds each person's home for their role (exchange); one at a time,
    the last registered wins. `func(request)` returns the response, or None to leave the
    person the platform's page."""
    _home[:] = [func]
    return func


def home() -> Callable[[Any], Any] | None:
    return _home[0] if _home else None


# --- the main menu ---------------------------------------------------------------------


# Who may open a page, by role, for menu entries.
EDITORS = ("admin", "it_manager", "staff")
REQUESTERS = ("admin", "it_manager", "staff", "liaison")


@dataclass(frozen=True)
class Section:
    """A module's section of the main menu: its pages beyond its record lists, first, as
    (label, URL name) or (label, URL name, who), where `who` is a tuple of roles or
    "app_label.Model": those who may see some of those records. The app's record lists
    follow (its registered resources)."""

    app_label: str
    title: str
    order: int
    pages: Sequence[tuple] = ()


_sections: dict[str, Section] = {}


def register_menu(section: Section) -> Section:
    _sections[section.app_label] = section
    return section


def menu_sections() -> list[Section]:
    return sorted(_sections.values(), key=lambda s: (s.order, s.app_label))
