"""The question bank: HR adds, edits, retires and restores interview questions, shipped or custom.

Every problem with the fields is reported at once, one message per field. Editing a question never changes a
past interview: a session keeps a snapshot of each question it asked (SessionQuestion). Shipped questions may
be edited too; the audit log keeps every old value, and a newer release never overwrites them
(bank.sync_question_bank only adds missing codes)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from talentloop.core.access import HR_AND_RECRUITING, require_role
from talentloop.core.errors import Conflict, ValidationFailed
from talentloop.core.models import AuditEntry, User
from talentloop.core.services import audit_record
from talentloop.org.models import Competency

from ..models import InterviewQuestion, QuestionLanguage, QuestionReview, QuestionSource, QuestionType

MAX_TEXT = 2000
MAX_REFERENCE = 5000
MAX_LEVEL_TEXT = 1000
MAX_POINT = 200
MAX_SYNONYMS = 20
MAX_SYNONYM = 100
KEY_POINTS_MIN, KEY_POINTS_MAX = 3, 6
DIFFICULTY_MIN, DIFFICULTY_MAX = 1, 3
TIME_LIMIT_MIN, TIME_LIMIT_MAX = 30, 1800
PLACEHOLDERS = ("product", "customer_type", "team_size")
LEVEL_KEYS = ("1", "2", "3")
EDITABLE = (
    "competency", "language", "type", "difficulty", "time_limit_seconds", "text", "key_points", "reference_answer",
    "levels",
)
REQUIRED = ("competency", "language", "type", "text", "key_points")
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
_CUSTOM = re.compile(r"^custom-(\d{1,9})$")


def _integer(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and re.fullmatch(r"\s*-?\d{1,9}\s*", value):
        return int(value)
    return None


def _clean_competency(value: Any) -> tuple[Competency | None, str | None]:
    if isinstance(value, Competency):
        competency: Competency | None = value
    else:
        code = str(value or "").strip()
        if not code:
            return None, _("Choose the competency the question measures.")
        competency = Competency.objects.filter(code=code).first()
        if competency is None:
            return None, _("There is no competency with the code “%(code)s”.") % {"code": code}
    assert competency is not None
    if not competency.is_active:
        return None, _("The competency “%(name)s” is no longer in use; choose an active one.") % {
            "name": competency.display_name
        }
    return competency, None


def _clean_text(value: Any) -> tuple[str, str | None]:
    if not isinstance(value, str | None):
        return "", _("The question must be text.")
    text = (value or "").strip()
    if not text:
        return "", _("Write the question.")
    if len(text) > MAX_TEXT:
        return "", _("The question is longer than %(n)d characters.") % {"n": MAX_TEXT}
    unknown = sorted({name for name in _PLACEHOLDER.findall(text) if name not in PLACEHOLDERS})
    if unknown:
        names = ", ".join(f"{{{name}}}" for name in unknown)
        return "", _("Unknown placeholder %(names)s: the question may use {product}, {customer_type} and "
                     "{team_size}.") % {"names": names}
    return text, None


def _clean_key_point(index: int, item: Any) -> tuple[dict[str, Any] | None, str | None]:
    label = _("Key point %(n)d") % {"n": index}
    if not isinstance(item, Mapping):
        return None, _("%(label)s must be an object with a point and its synonyms.") % {"label": label}
    point = item.get("point")
    if not isinstance(point, str) or not point.strip():
        return None, _("%(label)s: write the point.") % {"label": label}
    if len(point.strip()) > MAX_POINT:
        return None, _("%(label)s is longer than %(n)d characters.") % {"label": label, "n": MAX_POINT}
    synonyms = item.get("synonyms", [])
    if not isinstance(synonyms, list | tuple) or not all(isinstance(s, str) for s in synonyms):
        return None, _("%(label)s: the synonyms must be a list of words or phrases.") % {"label": label}
    cleaned: list[str] = []
    for synonym in (s.strip() for s in synonyms):
        if synonym and synonym not in cleaned:
            cleaned.append(synonym)
    if len(cleaned) > MAX_SYNONYMS:
        return None, _("%(label)s has more than %(n)d synonyms.") % {"label": label, "n": MAX_SYNONYMS}
    if any(len(s) > MAX_SYNONYM for s in cleaned):
        return None, _("%(label)s: a synonym is longer than %(n)d characters.") % {"label": label, "n": MAX_SYNONYM}
    return {"point": point.strip(), "synonyms": cleaned}, None


def _clean_key_points(value: Any) -> tuple[list[dict[str, Any]], list[str]]:
    if not isinstance(value, list | tuple):
        return [], [_("Give the key points as a list.")]
    if not KEY_POINTS_MIN <= len(value) <= KEY_POINTS_MAX:
        return [], [
            _("Give between %(min)d and %(max)d key points a strong answer covers (%(n)d given).")
            % {"min": KEY_POINTS_MIN, "max": KEY_POINTS_MAX, "n": len(value)}
        ]
    points, problems = [], []
    for index, item in enumerate(value, 1):
        point, problem = _clean_key_point(index, item)
        if problem:
            problems.append(problem)
        elif point is not None:
            points.append(point)
    names = [p["point"] for p in points]
    if not problems and len(set(names)) != len(names):
        problems.append(_("Two key points are the same; each key point must be different."))
    return points, problems


def _clean_levels(value: Any) -> tuple[dict[str, str], str | None]:
    if value in (None, ""):
        return {}, None
    if not isinstance(value, Mapping):
        return {}, _("Describe the levels as an object with the keys 1, 2 and 3.")
    unknown = sorted(str(key) for key in value if str(key) not in LEVEL_KEYS)
    if unknown:
        return {}, _("Unknown level %(keys)s: the levels are 1, 2 and 3.") % {"keys": ", ".join(unknown)}
    levels = {}
    for key in LEVEL_KEYS:
        text = value.get(key, value.get(int(key), ""))
        if not isinstance(text, str):
            return {}, _("The description of level %(level)s must be text.") % {"level": key}
        if len(text.strip()) > MAX_LEVEL_TEXT:
            return {}, _("The description of level %(level)s is longer than %(n)d characters.") % {
                "level": key, "n": MAX_LEVEL_TEXT,
            }
        if text.strip():
            levels[key] = text.strip()
    return levels, None


def _clean_field(name: str, value: Any) -> tuple[Any, list[str]]:
    if name == "competency":
        competency, problem = _clean_competency(value)
        return competency, [problem] if problem else []
    if name == "language":
        ok = value in QuestionLanguage.values
        return value, [] if ok else [_("Choose the language: zh-hans (Chinese) or en (English).")]
    if name == "type":
        ok = value in QuestionType.values
        return value, [] if ok else [_("Choose the type: behavioral, situational or technical.")]
    if name == "difficulty":
        number = _integer(value)
        ok = number is not None and DIFFICULTY_MIN <= number <= DIFFICULTY_MAX
        return number, [] if ok else [_("The difficulty is 1 (junior), 2 (mid-level) or 3 (senior).")]
    if name == "time_limit_seconds":
        number = _integer(value)
        ok = number is not None and TIME_LIMIT_MIN <= number <= TIME_LIMIT_MAX
        return number, [] if ok else [
            _("The time limit is between %(min)d and %(max)d seconds.") % {"min": TIME_LIMIT_MIN, "max": TIME_LIMIT_MAX}
        ]
    if name == "text":
        text, problem = _clean_text(value)
        return text, [problem] if problem else []
    if name == "key_points":
        return _clean_key_points(value)
    if name == "reference_answer":
        if not isinstance(value, str | None):
            return "", [_("The reference answer must be text.")]
        answer = (value or "").strip()
        if len(answer) > MAX_REFERENCE:
            return "", [_("The reference answer is longer than %(n)d characters.") % {"n": MAX_REFERENCE}]
        return answer, []
    levels, problem = _clean_levels(value)
    return levels, [problem] if problem else []


def question_clean(data: Mapping[str, Any], *, partial: bool = False) -> dict[str, Any]:
    """The fields of `data` that the bank knows, checked and normalised; ValidationFailed lists every problem
    by field. Without `partial`, the required fields must be there."""
    cleaned: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for name in EDITABLE:
        if name not in data:
            if not partial and name in REQUIRED:
                errors[name] = [_("This field is required.")]
            continue
        value, problems = _clean_field(name, data[name])
        if problems:
            errors[name] = problems
        else:
            cleaned[name] = value
    if errors:
        raise ValidationFailed(errors=errors)
    if "text" in cleaned:
        cleaned["placeholders"] = [name for name in PLACEHOLDERS if f"{{{name}}}" in cleaned["text"]]
    return cleaned


def _next_custom_code() -> str:
    numbers = [
        int(match.group(1))
        for code in InterviewQuestion.objects.filter(code__startswith="custom-").values_list("code", flat=True)
        if (match := _CUSTOM.match(code))
    ]
    return f"custom-{max(numbers, default=0) + 1}"


def question_create(*, actor: User, data: Mapping[str, Any]) -> InterviewQuestion:
    """A custom question with the next free code "custom-<n>" (HR and recruiters)."""
    require_role(actor, HR_AND_RECRUITING)
    cleaned = question_clean(data)
    cleaned.setdefault("difficulty", 2)
    cleaned.setdefault("time_limit_seconds", 180)
    # Two people saving at once may pick the same number: the unique code makes one of them try the next.
    for _attempt in range(5):
        try:
            with transaction.atomic():
                question = InterviewQuestion.objects.create(
                    code=_next_custom_code(), source=QuestionSource.CUSTOM, created_by=actor, is_active=True,
                    **cleaned,
                )
                audit_record(actor=actor, obj=question, action=AuditEntry.Action.CREATE)
                return question
        except IntegrityError:
            continue
    raise Conflict(_("The question could not be given a code; save it again."))


def _audit_value(name: str, value: Any) -> Any:
    if isinstance(value, Competency):
        return value.code
    return value


@transaction.atomic
def question_update(*, actor: User, question: InterviewQuestion, changes: Mapping[str, Any]) -> InterviewQuestion:
    """Change some fields of a question. Past interviews keep the text they asked (snapshots)."""
    require_role(actor, HR_AND_RECRUITING)
    cleaned = question_clean(changes, partial=True)
    question = InterviewQuestion.objects.select_for_update().select_related("competency").get(pk=question.pk)
    if "competency" in cleaned and cleaned["competency"].pk == question.competency_id:
        cleaned["competency"] = question.competency
    diff: dict[str, tuple[Any, Any]] = {}
    for name, value in cleaned.items():
        old = getattr(question, name)
        if _audit_value(name, old) != _audit_value(name, value):
            if name != "placeholders":
                diff[name] = (_audit_value(name, old), _audit_value(name, value))
            setattr(question, name, value)
    if diff:
        question.save()
        audit_record(actor=actor, obj=question, action=AuditEntry.Action.UPDATE, changes=diff)
    return question


@transaction.atomic
def question_retire(*, actor: User, question: InterviewQuestion) -> InterviewQuestion:
    """Take a question out of use: never generated again, kept for the interviews that asked it. Retiring a
    retired question changes nothing."""
    require_role(actor, HR_AND_RECRUITING)
    question = InterviewQuestion.objects.select_for_update().get(pk=question.pk)
    if not question.is_active:
        return question
    question.is_active, question.retired_at = False, timezone.now()
    question.save(update_fields=["is_active", "retired_at", "updated_at"])
    audit_record(actor=actor, obj=question, action=AuditEntry.Action.UPDATE, changes={"is_active": (True, False)})
    return question


@transaction.atomic
def question_restore(*, actor: User, question: InterviewQuestion) -> InterviewQuestion:
    """Put a retired question back into use; its competency must still be in use."""
    require_role(actor, HR_AND_RECRUITING)
    question = InterviewQuestion.objects.select_for_update().select_related("competency").get(pk=question.pk)
    if question.review_status != QuestionReview.APPROVED:
        raise Conflict(
            _("Question %(code)s is a draft that HR has not approved; approve it on the drafts page.")
            % {"code": question.code}
        )
    if question.is_active:
        return question
    if not question.competency.is_active:
        raise Conflict(
            _("The competency “%(name)s” is no longer in use, so its questions cannot be restored.")
            % {"name": question.competency.display_name}
        )
    question.is_active, question.retired_at = True, None
    question.save(update_fields=["is_active", "retired_at", "updated_at"])
    audit_record(actor=actor, obj=question, action=AuditEntry.Action.UPDATE, changes={"is_active": (False, True)})
    return question
