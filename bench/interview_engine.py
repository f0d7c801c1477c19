"""Interview answer scoring: one answer at a time, and the `score-answers` command on 10,000 lines.

Neither needs a database, so both run once, in the first database's turn (shown with database `—`).

- `answer scoring (Chinese|English)` ("answer-scoring"): `TextAnswerScorer().score` on 500 distinct answers
  per language (100 with --quick), in this process, one after the other. Every answer is made of reference
  answers of the shipped bank (a question's own, then others' of the same competency until it is about 300
  Chinese characters or 150 English words, the typical length of a typed answer), with the sentences
  rotated or reversed so no two are alike. Each is scored against its bank question with key points and
  reference answer; a question's derived data (tokens, patterns) is cached as in a worker, so the first
  answer to each of the 104 questions also pays for preparing it. jieba's dictionary is loaded before
  timing (`warm_up()`, about 1 s once per process). Target: p95 <= 20 ms per answer.
- `score-answers (10,000 lines)` ("score-answers-10k"): `talentloop score-answers --in ... --out ...
  --no-progress` over a generated JSONL file of 10,000 such records (2,000 with --quick), half Chinese and
  half English, with key points and reference answers, timed as a whole process (interpreter start, Django
  setup and jieba loading included). The note gives answers per second. Target: 10,000 x 20 ms = 200 s.

    .venv/bin/python -m bench.interview_engine [--quick]     # the rows alone, without the runner
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from bench.env import BenchEnv, Result
from talentloop.assessment.answers import Answer, KeyPoint, Question, TextAnswerScorer, warm_up
from talentloop.assessment.answers.text import split_sentences
from talentloop.assessment.interview import default_context, fill_placeholders

SCORING_NAME = "answer-scoring"
BATCH_NAME = "score-answers-10k"
ANSWER_TARGET_SECONDS = 0.020
BANK = Path(__file__).resolve().parent.parent / "talentloop" / "assessment" / "data" / "question_bank.json"
LANGUAGES = {"zh-hans": "Chinese", "en": "English"}
TYPICAL = {"zh-hans": 300, "en": 150}  # characters, words


def _bank() -> list[dict[str, Any]]:
    data: list[dict[str, Any]] = json.loads(BANK.read_text(encoding="utf-8"))
    return data


def answers(language: str, n: int) -> Iterator[tuple[dict[str, Any], str]]:
    """n (bank item, answer) pairs: the item's reference answer, then its siblings' (same competency) until
    the answer is typical in length (300 Chinese characters, 150 English words), sentences rotated."""
    items = [item for item in _bank() if item["language"] == language]
    for index in range(n):
        item = items[index % len(items)]
        siblings = [other for other in items if other["competency"] == item["competency"] and other is not item]
        turn = index // len(items)
        sentences = [s for s, _, _ in split_sentences(item["reference_answer"])]
        for offset in range(len(siblings)):
            if _size(language, sentences) >= TYPICAL[language]:
                break
            sibling = siblings[(turn + offset) % len(siblings)]
            sentences += [s for s, _, _ in split_sentences(sibling["reference_answer"])]
        while len(sentences) > 1 and _size(language, sentences[:-1]) >= TYPICAL[language]:
            sentences.pop()
        if turn >= len(siblings):
            sentences.reverse()
        shift = turn % len(sentences)
        yield item, _join(language, sentences[shift:] + sentences[:shift])


def _join(language: str, sentences: list[str]) -> str:
    return ("" if language == "zh-hans" else " ").join(sentences)


def _size(language: str, sentences: list[str]) -> int:
    text = _join(language, sentences)
    return len(text) if language == "zh-hans" else len(text.split())


def question(item: dict[str, Any]) -> Question:
    language = item["language"]
    return Question(
        text=fill_placeholders(item["text"], default_context(language), language),
        language=language,
        competency=item["competency"],
        key_points=tuple(KeyPoint(kp["point"], tuple(kp["synonyms"])) for kp in item["key_points"]),
        reference_answers=(item["reference_answer"],),
        type=item["type"],
        time_limit_seconds=item["time_limit_seconds"],
    )


def scoring_rows(quick: bool) -> list[Result]:
    n = 100 if quick else 500
    warm_up()
    scorer = TextAnswerScorer()
    rows = []
    for language, label in LANGUAGES.items():
        pairs = list(answers(language, n))
        samples = []
        for item, text in pairs:
            q, answer = question(item), Answer(text)
            started = time.perf_counter()
            scorer.score(q, answer)
            samples.append(time.perf_counter() - started)
        sizes = [_size(language, [text]) for _, text in pairs]
        unit = "characters" if language == "zh-hans" else "words"
        rows.append(Result(
            benchmark=f"answer scoring ({label})", database="—", n=n, samples=samples,
            target=ANSWER_TARGET_SECONDS,
            notes=f"TextAnswerScorer.score, single process; {n} distinct answers of {min(sizes)}-{max(sizes)} "
                  f"{unit} (median {statistics.median(sizes):.0f}) built from the bank's reference answers; "
                  f"jieba loaded before timing",
        ))
    return rows


def write_batch(path: Path, n: int) -> None:
    per_language = {language: answers(language, n // 2 + 1) for language in LANGUAGES}
    with path.open("w", encoding="utf-8") as out:
        for index in range(n):
            language = "zh-hans" if index % 2 == 0 else "en"
            item, text = next(per_language[language])
            record = {
                "id": f"{index + 1}", "question": fill_placeholders(item["text"], default_context(language), language),
                "answer": text, "key_points": item["key_points"], "reference_answers": [item["reference_answer"]],
                "competency": item["competency"], "language": language,
            }
            out.write(json.dumps(record, ensure_ascii=False) + "\n")


def batch_row(env: BenchEnv) -> Result:
    n = 2_000 if env.quick else 10_000
    source, target = env.workdir / "answers.jsonl", env.workdir / "scores.jsonl"
    write_batch(source, n)
    url = f"sqlite:///{env.workdir / 'score-answers-unused.sqlite3'}"  # the command touches no database
    started = time.perf_counter()
    result = env.talentloop(url, "score-answers", "--in", str(source), "--out", str(target), "--no-progress")
    seconds = time.perf_counter() - started
    lines = sum(1 for _ in target.open(encoding="utf-8"))
    summary = result.stdout.strip().splitlines()[-1] if result.stdout.strip() else ""
    return Result(
        benchmark=f"score-answers ({n:,} lines)", database="—", n=n, samples=[seconds],
        target=n * ANSWER_TARGET_SECONDS,
        notes=f"{n / seconds:.0f} answers/s as a whole process (Django and jieba start included); "
              f"command says: {summary}",
        extra_failure="" if lines == n and "rejected 0" in summary else f"{lines} output lines; {summary}",
    )


def run_scoring(env: BenchEnv, db: str) -> list[Result]:
    """No database: runs once, with the first database the runner was given."""
    return scoring_rows(env.quick) if db == env.databases[0] else []


def run_batch(env: BenchEnv, db: str) -> list[Result]:
    return [batch_row(env)] if db == env.databases[0] else []


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.interview_engine", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="fewer answers")
    args = parser.parse_args(argv)
    env = BenchEnv(quick=args.quick, databases=["sqlite"])
    try:
        rows = [*scoring_rows(args.quick), batch_row(env)]
    finally:
        env.close()
    for row in rows:
        median, p95 = row.median or 0.0, row.p95 or 0.0
        print(f"{row.benchmark}: median {median * 1000:.2f} ms, p95 {p95 * 1000:.2f} ms, "
              f"target {row.target * 1000:.0f} ms, {row.status}; {row.notes}", file=sys.stdout)
    return 0 if all(row.status == "met" for row in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
