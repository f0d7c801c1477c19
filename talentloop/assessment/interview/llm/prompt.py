"""The request for drafts and the chat messages that ask the model for them."""

from __future__ import annotations

from dataclasses import dataclass

from .limits import KEY_POINTS_MAX, KEY_POINTS_MIN, LANGUAGE_NAMES, MAX_AVOID, MAX_COUNT, MAX_DESCRIPTION, excerpt

PROMPT_VERSION = "1"


# --- request ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CompetencyBrief:
    code: str
    name: str
    definition: str = ""
    indicators: tuple[str, ...] = ()  # one observable behaviour per level, lowest first

    def __post_init__(self) -> None:
        object.__setattr__(self, "indicators", tuple(self.indicators))


@dataclass(frozen=True)
class JobBrief:
    title: str
    level: str = ""  # the level's name, e.g. "Senior"
    description: str = ""


@dataclass(frozen=True)
class DraftRequest:
    competency: CompetencyBrief
    language: str  # "zh-hans" | "en"
    count: int = 3
    job: JobBrief | None = None
    difficulty: int = 2  # 1 junior, 2 mid-level, 3 senior: what the model aims at and the default of a draft
    avoid: tuple[str, ...] = ()  # texts of existing questions the drafts must not repeat

    def __post_init__(self) -> None:
        object.__setattr__(self, "avoid", tuple(self.avoid))
        if self.language not in LANGUAGE_NAMES:
            raise ValueError(f"language must be one of {list(LANGUAGE_NAMES)}, got {self.language!r}")
        if isinstance(self.count, bool) or not isinstance(self.count, int) or not 1 <= self.count <= MAX_COUNT:
            raise ValueError(f"count must be an integer from 1 to {MAX_COUNT}, got {self.count!r}")
        if isinstance(self.difficulty, bool) or self.difficulty not in (1, 2, 3):
            raise ValueError(f"difficulty must be 1, 2 or 3, got {self.difficulty!r}")


# --- prompt -------------------------------------------------------------------------------------------------


_SYSTEM = (
    "You design structured job-interview questions for an HR team. Every question measures one competency, "
    "is fair to every candidate and can be scored from what the candidate says. You reply with one JSON object "
    "and nothing else."
)

_SHAPE = (
    '{"questions": [{"text": "...", "type": "behavioral", "difficulty": 2, "time_limit_seconds": 180, '
    '"key_points": [{"point": "...", "synonyms": ["...", "..."]}], "reference_answer": "...", '
    '"levels": {"1": "...", "2": "...", "3": "..."}}]}'
)


def build_messages(request: DraftRequest) -> list[dict[str, str]]:
    """The chat messages that ask for `request.count` drafts: system rules, then the competency, job and rules."""
    competency = request.competency
    language = LANGUAGE_NAMES[request.language]
    zh = request.language == "zh-hans"
    lines = [
        f"Write {request.count} new interview question{'s' if request.count != 1 else ''} that measure the "
        f"competency below" + (" for the job below." if request.job else "."),
        "",
        f"Competency: {competency.name} (code: {competency.code})",
    ]
    if competency.definition.strip():
        lines.append(f"Definition: {excerpt(competency.definition, MAX_DESCRIPTION)}")
    if competency.indicators:
        lines.append("Behavioural indicators, from basic to advanced:")
        lines.extend(f"- Level {n}: {excerpt(text, 300)}" for n, text in enumerate(competency.indicators, 1))
    if request.job is not None:
        lines += ["", f"Job title: {request.job.title}"]
        if request.job.level.strip():
            lines.append(f"Job level: {request.job.level}")
        if request.job.description.strip():
            lines.append(f"Job description (excerpt): {excerpt(request.job.description, MAX_DESCRIPTION)}")
    words = "150 to 350 Chinese characters" if zh else "80 to 200 words"
    phrase = "2 to 8 Chinese characters" if zh else "2 to 6 words"
    difficulty = {1: "1 (junior)", 2: "2 (mid-level)", 3: "3 (senior)"}[request.difficulty]
    lines += [
        "",
        f"Language: write every text value (question, key points, synonyms, reference answer, level "
        f"descriptions) in {language}. Keep the JSON keys and the type values in English.",
        "",
        "Rules:",
        '1. "type" is "behavioral" (asks about a real past experience, e.g. "Tell me about a time when ...") or '
        '"situational" (a realistic scenario from this job, e.g. "What would you do if ..."). Mix both types '
        "when writing more than one question.",
        f'2. "difficulty" is 1 (junior), 2 (mid-level) or 3 (senior); aim at {difficulty}. "time_limit_seconds" '
        "is the answering time, 120 to 300.",
        f'3. "key_points": {KEY_POINTS_MIN} to {KEY_POINTS_MAX} distinct things a strong answer says. Each has a '
        f'short "point" and 4 to 10 "synonyms": phrases of {phrase} that a candidate would really say when '
        "making that point (paraphrases, not generic words such as \"communication\" alone).",
        f'4. "reference_answer": a strong first-person answer of {words}. For every key point it contains, word '
        "for word, the point or one of its synonyms. A behavioral answer tells the situation, the task, the "
        "actions and a result with a number; a situational answer gives a concrete plan in steps and how to "
        "follow up.",
        '5. "levels": one or two sentences each on what a weak ("1"), an adequate ("2") and a strong ("3") '
        "answer looks like.",
        "6. No curly braces or placeholders, no real people's names. Never ask about age, gender, marital or "
        "family status, pregnancy, health or disability, religion, ethnicity, origin or political views.",
        "7. Each question differs from the others" + (" and from these existing questions:" if request.avoid
                                                       else "."),
    ]
    if request.avoid:
        lines.extend(f"- {excerpt(text, 200)}" for text in request.avoid[:MAX_AVOID])
    lines += ["", "Reply with JSON only, in exactly this shape:", _SHAPE]
    return [{"role": "system", "content": _SYSTEM}, {"role": "user", "content": "\n".join(lines)}]
