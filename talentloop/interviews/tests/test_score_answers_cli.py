"""`talentloop score-answers`: real files in, real files out, bad lines reported, nothing needs a database."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from talentloop.assessment.answers import ENGINE, ENGINE_VERSION, TextAnswerScorer
from talentloop.assessment.answers.batch import score_record

ZH = {
    "id": "zh-1",
    "question": "请描述一次你处理客户投诉的经历，你是如何解决的？",
    "answer": "去年一位客户因为订单延迟三天投诉。我首先耐心倾听，然后真诚道歉，接着提出解决方案：加急发货并补偿优惠券。"
              "第二天我打电话跟进，最终客户非常满意，投诉率降低了20%。",
    "key_points": [{"point": "倾听", "synonyms": ["听取"]}, {"point": "道歉", "synonyms": ["致歉"]},
                   {"point": "跟进", "synonyms": ["回访"]}, "复盘"],
    "reference_answers": ["我先耐心倾听客户的投诉，向客户真诚道歉，然后提出解决方案并及时跟进。"],
    "competency": "customer_orientation",
    "language": "zh-hans",
}
EN = {
    "id": 2,
    "question": "Tell me about a time you handled a customer complaint.",
    "answer": "Last year a customer complained that her order was three days late. I first listened, then "
              "apologised and offered a refund as a solution. Two days later I called her to follow up. As a "
              "result she withdrew her complaint.",
    "key_points": ["listen", {"point": "apologise", "synonyms": ["sorry"]}, {"point": "follow up"}],
}
OUTPUT_KEYS = {"id", "score", "subscores", "evidence", "missing_key_points", "engine"}


def run(tmp_path: Path, lines: list[str] | bytes, *extra: str) -> tuple[list[dict[str, Any]], str, str]:
    source, target = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    if isinstance(lines, bytes):
        source.write_bytes(lines)
    else:
        source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    call_command("score_answers", "--in", str(source), "--out", str(target), *extra, stdout=out, stderr=err)
    records = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    return records, out.getvalue(), err.getvalue()


def test_scores_chinese_and_english_lines(tmp_path: Path) -> None:
    records, out, err = run(tmp_path, [json.dumps(ZH, ensure_ascii=False), json.dumps(EN)])
    assert [set(r) for r in records] == [OUTPUT_KEYS, OUTPUT_KEYS]
    zh, en = records
    assert (zh["id"], en["id"]) == ("zh-1", 2)
    assert zh["missing_key_points"] == ["复盘"]
    assert en["missing_key_points"] == []
    assert zh["score"] > 60
    assert en["score"] > 60
    assert zh["engine"]["name"] == ENGINE
    assert zh["engine"]["version"] == ENGINE_VERSION
    assert zh["engine"]["parameters"]["tokenizer"] == "jieba-v1"
    assert zh["evidence"][0] == {
        "sentence": "去年一位客户因为订单延迟三天投诉。", "start": 0, "end": 17,
        "reasons": ["STAR situation", "number", "time span"],
    }
    assert out.startswith("scored 2, rejected 0 (")
    assert err == ""
    # the same as scoring the records directly
    assert zh == score_record(ZH, TextAnswerScorer())


def test_bad_lines_are_reported_with_their_numbers_and_the_rest_is_scored(tmp_path: Path) -> None:
    lines = [
        json.dumps(EN),
        "{not json",
        "",  # blank: skipped, no output line
        json.dumps({"id": "no-answer", "question": "Q?"}),
        json.dumps([1, 2]),
        json.dumps({"id": "lang", "question": "Q?", "answer": "a", "language": "fr"}),
        json.dumps({"id": True, "question": "Q?", "answer": "a"}),
        json.dumps({"id": "kp", "question": "Q?", "answer": "a", "key_points": [{"synonyms": ["x"]}]}),
        json.dumps({"id": "ref", "question": "Q?", "answer": "a", "reference_answers": "one"}),
        json.dumps({"id": "empty-answer", "question": "Q?", "answer": ""}),
    ]
    records, out, err = run(tmp_path, lines)
    assert records[1] == {"id": None, "error": "line 2: invalid JSON (Expecting property name enclosed in double "
                                               "quotes at column 2)"}
    assert records[2] == {"id": "no-answer", "error": '"answer" is missing'}
    assert records[3] == {"id": None, "error": "a record must be a JSON object, got a list"}
    assert records[4] == {"id": "lang", "error": "\"language\" must be one of ['zh-hans', 'en'], got 'fr'"}
    assert records[5] == {"id": None, "error": '"id" must be a string or an integer, got a boolean'}
    assert records[6] == {"id": "kp", "error": '"key_points"[0].point must be a string, got null'}
    assert records[7] == {"id": "ref", "error": '"reference_answers" must be a list of strings, got a string'}
    assert records[8]["score"] == 0.0  # an empty answer is valid and scores 0
    assert len(records) == 9
    assert out.startswith("scored 2, rejected 7 (")
    assert err.splitlines() == [
        "line 2: invalid JSON (Expecting property name enclosed in double quotes at column 2)",
        'line 4: "answer" is missing',
        "line 5: a record must be a JSON object, got a list",
        "line 6: \"language\" must be one of ['zh-hans', 'en'], got 'fr'",
        'line 7: "id" must be a string or an integer, got a boolean',
        'line 8: "key_points"[0].point must be a string, got null',
        'line 9: "reference_answers" must be a list of strings, got a string',
    ]


def test_invalid_utf8_and_a_last_line_without_newline(tmp_path: Path) -> None:
    data = json.dumps(EN).encode() + b"\n\xff\xfe\n" + json.dumps({**EN, "id": 3}).encode()
    records, out, _ = run(tmp_path, data)
    assert [r["id"] for r in records] == [2, None, 3]
    assert records[1]["error"].startswith("line 2: not UTF-8")
    assert out.startswith("scored 2, rejected 1 (")


def test_a_100000_character_answer_is_scored(tmp_path: Path) -> None:
    long = {**ZH, "id": "long", "answer": ("我首先耐心倾听客户的意见，然后道歉。" * 6000)[:100_000]}
    records, out, _ = run(tmp_path, [json.dumps(long, ensure_ascii=False), json.dumps(EN)])
    assert len(long["answer"]) == 100_000
    assert records[0]["id"] == "long"
    assert 0 <= records[0]["score"] <= 100
    assert records[0]["subscores"]["length"] == 0.0  # far above the 400-character band
    assert out.startswith("scored 2, rejected 0 (")


def test_an_answer_over_the_batch_limit_is_rejected_clearly(tmp_path: Path) -> None:
    records, _, err = run(tmp_path, [json.dumps({**EN, "answer": "x" * 200_001})])
    assert records == [{"id": 2, "error": '"answer" is 200,001 characters long; the limit is 200,000'}]
    assert err.strip() == 'line 1: "answer" is 200,001 characters long; the limit is 200,000'


def test_many_bad_lines_are_summarised(tmp_path: Path) -> None:
    records, out, err = run(tmp_path, ["nope"] * 25)
    assert len(records) == 25
    assert out.startswith("scored 0, rejected 25 (")
    assert err.splitlines()[-1] == f"... and 5 more rejected lines (see {tmp_path / 'out.jsonl'})."
    assert len(err.splitlines()) == 21


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_goes_to_stderr_unless_switched_off(tmp_path: Path) -> None:
    source, target = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    source.write_text(json.dumps(EN) + "\n", encoding="utf-8")
    err = _Terminal()
    call_command("score_answers", "--in", str(source), "--out", str(target), stdout=io.StringIO(), stderr=err)
    assert "Scoring" in err.getvalue()
    assert "1/1" in err.getvalue()
    quiet = _Terminal()
    call_command("score_answers", "--in", str(source), "--out", str(target), "--no-progress",
                 stdout=io.StringIO(), stderr=quiet)
    assert quiet.getvalue() == ""


def test_missing_input_file_and_bad_output_folder(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="does not exist or is not a file"):
        call_command("score_answers", "--in", str(tmp_path / "missing.jsonl"), "--out", str(tmp_path / "o.jsonl"))
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps(EN) + "\n", encoding="utf-8")
    with pytest.raises(CommandError, match=r"Output folder .* does not exist"):
        call_command("score_answers", "--in", str(source), "--out", str(tmp_path / "nope" / "o.jsonl"))
    with pytest.raises(CommandError, match="must not be the input file"):
        call_command("score_answers", "--in", str(source), "--out", str(source))
    assert source.read_text(encoding="utf-8") == json.dumps(EN) + "\n"


def test_empty_input_file(tmp_path: Path) -> None:
    records, out, _ = run(tmp_path, b"")
    assert records == []
    assert out.startswith("scored 0, rejected 0 (")
