"""`talentloop score-answers --in FILE.jsonl --out FILE.jsonl`: score typed answers in bulk, without a database.

Each input line is one JSON object (see talentloop/assessment/answers/batch.py for the fields); each non-blank
input line gets one output line, in the same order: the score, or {"id", "error"}. Blank lines are skipped.
Lines are read and written one at a time, so the file can be larger than memory."""

from __future__ import annotations

import io
import json
import time
from pathlib import Path
from typing import IO, Any

from django.core.management.base import BaseCommand, CommandError, CommandParser, OutputWrapper
from tqdm import tqdm

from talentloop.assessment.answers import TextAnswerScorer, warm_up
from talentloop.assessment.answers.batch import score_record

SHOWN_PROBLEMS = 20  # rejected lines listed one by one at the end; the rest are counted


class Command(BaseCommand):
    help = (
        "Score typed interview answers in bulk. Each line of the input file is a JSON object "
        '{"id", "question", "answer", "key_points"?, "reference_answers"?, "competency"?, "language"?}; each '
        'line of the output file is {"id", "score", "subscores", "evidence", "missing_key_points", "engine"}, '
        'or {"id", "error"} for a line that could not be scored. Prints "scored N, rejected M" at the end.'
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--in", dest="input", required=True, metavar="FILE.jsonl", help="Answers to score.")
        parser.add_argument("--out", dest="output", required=True, metavar="FILE.jsonl", help="Where the scores go.")
        parser.add_argument("--no-progress", action="store_true", help="Do not show the progress bar.")

    def handle(self, *args: Any, **options: Any) -> None:
        source = Path(options["input"]).expanduser()
        target = Path(options["output"]).expanduser()
        if not source.is_file():
            raise CommandError(f"Input file {source} does not exist or is not a file.")
        if not target.parent.is_dir():
            raise CommandError(f"Output folder {target.parent} does not exist.")
        if target.exists() and target.resolve() == source.resolve():
            raise CommandError("The output file must not be the input file.")

        total = _count_lines(source)
        scorer = TextAnswerScorer()
        warm_up()  # load jieba's dictionary before the clock and the progress bar start
        scored = rejected = 0
        problems: list[str] = []
        started = time.perf_counter()
        disable = True if options["no_progress"] else None  # None: tqdm hides itself when stderr is no terminal
        with source.open("rb") as reader, target.open("w", encoding="utf-8", newline="\n") as writer, tqdm(
            total=total, file=_Raw(self.stderr), unit="answer", desc="Scoring", disable=disable
        ) as bar:
            for number, raw in enumerate(reader, start=1):
                bar.update(1)
                if not raw.strip():
                    continue
                output, problem = _score_line(raw, number, scorer)
                _write(writer, output)
                if problem is None:
                    scored += 1
                else:
                    rejected += 1
                    if len(problems) < SHOWN_PROBLEMS:
                        problems.append(problem)
        seconds = time.perf_counter() - started
        for problem in problems:
            self.stderr.write(problem)
        if rejected > len(problems):
            self.stderr.write(f"... and {rejected - len(problems)} more rejected lines (see {target}).")
        rate = (scored + rejected) / seconds if seconds > 0 else 0.0
        self.stdout.write(f"scored {scored}, rejected {rejected} ({seconds:.1f} s, {rate:.0f} answers/s)")


def _score_line(raw: bytes, number: int, scorer: TextAnswerScorer) -> tuple[dict[str, Any], str | None]:
    """The output record for one input line, and the problem to report (None when it was scored)."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        message = f"line {number}: not UTF-8 ({exc.reason} at byte {exc.start})"
        return {"id": None, "error": message}, message
    try:
        record = json.loads(text)
    except json.JSONDecodeError as exc:
        message = f"line {number}: invalid JSON ({exc.msg} at column {exc.colno})"
        return {"id": None, "error": message}, message
    except RecursionError:
        message = f"line {number}: invalid JSON (nested too deeply)"
        return {"id": None, "error": message}, message
    output = score_record(record, scorer)
    if "error" in output:
        return output, f"line {number}: {output['error']}"
    return output, None


def _write(writer: IO[str], record: dict[str, Any]) -> None:
    writer.write(json.dumps(record, ensure_ascii=False, separators=(",", ":")))
    writer.write("\n")


def _count_lines(path: Path) -> int:
    count = 0
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            count += block.count(b"\n")
    if path.stat().st_size and not _ends_with_newline(path):
        count += 1
    return count


def _ends_with_newline(path: Path) -> bool:
    with path.open("rb") as handle:
        handle.seek(-1, io.SEEK_END)
        return handle.read(1) == b"\n"


class _Raw(io.TextIOBase):
    """tqdm writes carriage returns and expects them untouched; Django's OutputWrapper adds a newline to
    every write. This passes writes through as they are."""

    def __init__(self, wrapper: OutputWrapper) -> None:
        self.wrapper = wrapper

    def write(self, text: str, /) -> int:
        self.wrapper.write(text, ending="")
        return len(text)

    def flush(self) -> None:
        self.wrapper.flush()

    def isatty(self) -> bool:
        return self.wrapper.isatty()
