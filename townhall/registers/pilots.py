"""Innovation pilots' rules, without Django: which stage may follow which, and whether a
pilot needs a surveillance-technology review before it runs.

A city's surveillance ordinance decides which technologies need a review. Our default: a
body-worn camera, drone or licence-plate reader always does, because each records people
by design; IoT sensors and connected vehicles do when the pilot collects personal data
(a parking sensor that counts cars does not; one that reads plates does). AI and other
technologies do not by default. A city changes this with the setting
`TOWNHALL_SURVEILLANCE_REVIEW` (see docs/registers.md)."""

from collections.abc import Iterable, Mapping

IDEA, PILOT, EVALUATION, SCALED, STOPPED = "idea", "pilot", "evaluation", "scaled", "stopped"
STAGES = (IDEA, PILOT, EVALUATION, SCALED, STOPPED)

# (from, to): the moves a pilot may make, forward only. A pilot may stop at any point before
# it ends; another round of piloting is a new pilot.
MOVES: frozenset[tuple[str, str]] = frozenset(
    {
        (IDEA, PILOT),
        (IDEA, STOPPED),
        (PILOT, EVALUATION),
        (PILOT, STOPPED),
        (EVALUATION, SCALED),
        (EVALUATION, STOPPED),
    }
)

# The day field each stage sets when a pilot reaches it.
DAY_FIELD = {
    IDEA: "idea_on",
    PILOT: "pilot_on",
    EVALUATION: "evaluation_on",
    SCALED: "scaled_on",
    STOPPED: "stopped_on",
}

# The default rule: kinds that always need a review, and kinds that need one when the
# pilot collects personal data.
DEFAULT_RULE: dict[str, tuple[str, ...]] = {
    "always": ("body_camera", "drone", "plate_reader"),
    "personal_data": ("iot", "vehicle"),
}

# The days a pilot at each stage has: every stage it passed through, and its end.
REQUIRED_DAYS = {
    IDEA: (),
    PILOT: ("pilot_on",),
    EVALUATION: ("pilot_on", "evaluation_on"),
    SCALED: ("pilot_on", "evaluation_on", "scaled_on"),
    STOPPED: ("stopped_on",),
}

# An approved review, with or without conditions, lets a pilot run.
CLEARED = ("approved", "approved_with_conditions")


def next_stages(stage: str) -> list[str]:
    """Where a pilot at `stage` may go next, in pipeline order."""
    return [to for to in STAGES if (stage, to) in MOVES]


def review_required(
    kind: str, personal_data: bool, rule: Mapping[str, Iterable[str]] | None = None
) -> bool:
    """Whether a pilot of this technology needs a surveillance review before it runs."""
    rule = DEFAULT_RULE if rule is None else rule
    if kind in set(rule.get("always", ())):
        return True
    return personal_data and kind in set(rule.get("personal_data", ()))


def review_cleared(decisions: Iterable[str]) -> bool:
    """Whether any of a pilot's reviews lets it run."""
    return any(d in CLEARED for d in decisions)


def move_refusal(stage: str, to: str, *, required: bool, cleared: bool) -> str | None:
    """Why a pilot at `stage` may not move to `to`, in words for the person; None if it may."""
    if to not in STAGES:
        return f"“{to}” is not a stage of a pilot."
    if (stage, to) not in MOVES:
        return f"A pilot at the {stage} stage cannot move to {to}."
    if to == PILOT and required and not cleared:
        return (
            "This pilot needs an approved surveillance-technology review before it can run: "
            "record the review and its decision first."
        )
    return None


def pipeline_columns(
    rows: Iterable[Mapping[str, object]],
) -> list[tuple[str, list[Mapping[str, object]]]]:
    """The pilots grouped by stage, in pipeline order: (stage, its rows), every stage
    listed even when empty, so the board reads the same each time."""
    by_stage: dict[str, list[Mapping[str, object]]] = {stage: [] for stage in STAGES}
    for row in rows:
        by_stage.setdefault(str(row["stage"]), []).append(row)
    return [(stage, by_stage[stage]) for stage in STAGES]


def flag(stage: str, required: bool, cleared: bool) -> str:
    """What a pilot's surveillance review means for it, in words ("" when nothing to say)."""
    if not required:
        return ""
    if cleared:
        return "Surveillance review approved"
    if stage == IDEA:
        return "Awaiting its surveillance review"
    if stage in (PILOT, EVALUATION):
        return "Running without an approved surveillance review"
    return ""
