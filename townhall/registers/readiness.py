"""Scoring a readiness assessment, without Django: each question answered 0 to 3, the
total against the most it could be, and the weakest areas to work on first.

The questionnaires themselves are data (`reference/readiness.json`), read by
`questionnaire()`; this module only counts."""

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

TOP = 3  # the best answer to any question
SCORES = range(TOP + 1)
QUESTIONNAIRES = Path(__file__).parent / "reference" / "readiness.json"


@dataclass(frozen=True)
class Answer:
    score: int
    label: str


@dataclass(frozen=True)
class Question:
    key: str
    area: str
    text: str
    guidance: str
    answers: tuple[Answer, ...]


@dataclass(frozen=True)
class Result:
    answered: int
    questions: int
    total: int
    most: int
    weakest: tuple[Question, ...]  # answered questions at the lowest score, when below TOP
    unanswered: tuple[Question, ...]

    @property
    def share(self) -> int | None:
        """The total as a whole percentage of the most the answered questions could score."""
        return round(100 * self.total / self.most) if self.most else None

    @property
    def complete(self) -> bool:
        return self.answered == self.questions

    @property
    def level(self) -> str:
        """The share in words: where the government stands with this technology."""
        share = self.share
        if share is None:
            return "Not answered yet"
        if share >= 75:
            return "Ready"
        if share >= 50:
            return "Partly ready"
        return "Not ready"


@cache
def _load() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(QUESTIONNAIRES.read_text(encoding="utf-8"))
    return data


def technologies() -> list[tuple[str, str]]:
    """(key, name) of each technology with a questionnaire."""
    return [(key, t["name"]) for key, t in _load().items()]


def questionnaire(technology: str) -> list[Question]:
    """The questions for a technology ([] for one without a questionnaire)."""
    found = _load().get(technology)
    if found is None:
        return []
    return [
        Question(
            key=q["key"],
            area=q["area"],
            text=q["text"],
            guidance=q["guidance"],
            answers=tuple(Answer(score=a["score"], label=a["label"]) for a in q["answers"]),
        )
        for q in found["questions"]
    ]


def problems(technology: str, answers: Any) -> list[str]:
    """What is wrong with a set of answers for the technology's questionnaire."""
    if not isinstance(answers, dict):
        return ["The answers are a mapping of question to score."]
    keys = {q.key for q in questionnaire(technology)}
    found = []
    for key, value in answers.items():
        if key not in keys:
            found.append(f"“{key}” is not a question of this questionnaire.")
        elif isinstance(value, bool) or not isinstance(value, int) or value not in SCORES:
            found.append(f"The answer to “{key}” is a score from 0 to {TOP}.")
    return found


def score(technology: str, answers: dict[str, int]) -> Result:
    """Total, share and weakest areas of answers to a technology's questionnaire; answers
    to questions it does not have are not counted."""
    questions = questionnaire(technology)
    given = [(q, answers[q.key]) for q in questions if q.key in answers]
    total = sum(s for _, s in given)
    lowest = min((s for _, s in given), default=TOP)
    weakest = tuple(q for q, s in given if s == lowest) if lowest < TOP else ()
    return Result(
        answered=len(given),
        questions=len(questions),
        total=total,
        most=TOP * len(given),
        weakest=weakest,
        unanswered=tuple(q for q in questions if q.key not in answers),
    )
