"""The AI use case inventory's conditional rules, in plain Python (no Django): the model's
`clean` and the importer both reach them through `AIUseCase.clean`.

What the inventory asks depends on earlier answers: a high-impact use (or one presumed
high-impact) says why, and answers every minimum risk practice; a retired use gives the
day it was retired; a use built with contractors names its vendor; a use with personal
information says whether its privacy risks were assessed."""

import datetime
from dataclasses import dataclass
from typing import Any

# (status field, notes field, the practice in people's words), in the inventory's order.
PRACTICES: tuple[tuple[str, str, str], ...] = (
    ("testing", "testing_notes", "pre-deployment testing"),
    ("impact_assessment", "impact_assessment_notes", "impact assessment"),
    ("monitoring", "monitoring_notes", "ongoing monitoring"),
    ("training", "training_notes", "operator training"),
    ("oversight", "oversight_notes", "human oversight"),
    ("remedy", "remedy_notes", "appeal or remedy"),
    ("feedback", "feedback_notes", "public feedback"),
)
HIGH_IMPACT = ("yes", "presumed")


@dataclass(frozen=True)
class Answers:
    """A use case's answers the rules read."""

    high_impact: str
    high_impact_reason: str
    topic_area: str
    topic_other: str
    stage: str
    initiated_on: datetime.date | None
    implemented_on: datetime.date | None
    retired_on: datetime.date | None
    development: str
    has_vendor: bool
    personal_data: str
    privacy_assessed: str
    practices: dict[str, str]

    @classmethod
    def of(cls, obj: Any) -> "Answers":
        names = [n for status, notes, _ in PRACTICES for n in (status, notes)]
        return cls(
            high_impact=obj.high_impact,
            high_impact_reason=obj.high_impact_reason,
            topic_area=obj.topic_area,
            topic_other=obj.topic_other,
            stage=obj.stage,
            initiated_on=obj.initiated_on,
            implemented_on=obj.implemented_on,
            retired_on=obj.retired_on,
            development=obj.development,
            has_vendor=obj.vendor_id is not None,
            personal_data=obj.personal_data,
            privacy_assessed=obj.privacy_assessed,
            practices={n: getattr(obj, n) or "" for n in names},
        )


def problems(a: Answers) -> dict[str, str]:
    """field -> what is wrong with it; empty when every rule holds."""
    found: dict[str, str] = {}
    if a.high_impact in HIGH_IMPACT:
        if not a.high_impact_reason.strip():
            found["high_impact_reason"] = "Say why this use is high-impact."
        if a.stage != "retired":  # the practices are for a use that is or will be in service
            for status, notes, words in PRACTICES:
                if not a.practices.get(status):
                    found[status] = (
                        f"A high-impact use answers {words}: yes, in progress, no or waived."
                    )
                if not a.practices.get(notes, "").strip():
                    found[notes] = f"A high-impact use says how it does {words}, or why not."
    if a.topic_area == "other" and not a.topic_other.strip():
        found["topic_other"] = "Name the topic area when it is Other."
    if a.stage == "retired" and a.retired_on is None:
        found["retired_on"] = "A retired use gives the day it was retired."
    elif a.stage != "retired" and a.retired_on is not None:
        found["retired_on"] = "Only a retired use has a retirement date."
    if a.stage == "deployed" and a.implemented_on is None:
        found["implemented_on"] = "A deployed use gives the day it went into service."
    elif a.stage == "pre_deployment" and a.implemented_on is not None:
        found["implemented_on"] = "A use before deployment has not been implemented yet."
    if "implemented_on" not in found and a.initiated_on and a.implemented_on:
        if a.implemented_on < a.initiated_on:
            found["implemented_on"] = "A use is implemented after it is initiated."
    if "retired_on" not in found and a.retired_on:
        start = a.implemented_on or a.initiated_on
        if start and a.retired_on < start:
            found["retired_on"] = "A use is retired after it began."
    if a.development in ("contracted", "both") and not a.has_vendor:
        found["vendor"] = "A use built with contractors names its vendor."
    if a.personal_data == "yes" and not a.privacy_assessed:
        found["privacy_assessed"] = (
            "A use with personal information says whether its privacy risks were assessed."
        )
    return found
