"""The report PDF of an interview answered by voice and on video: which signals counted, each recorded answer's
transcript and recogniser, the delivery metrics and flags, and the timeline drawn with ReportLab shapes."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from talentloop.interviews.pdf import report_pdf
from talentloop.interviews.selectors.reports import report_for_hr

from ._delivery_support import EN_BACKEND, make_recorded_interview
from ._reports_support import browser

pytestmark = pytest.mark.django_db


def _text(data: bytes) -> str:
    return re.sub(r"\s+", " ", "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages))


def test_the_pdf_has_the_delivery_section_and_the_transcripts(org: dict[str, Any]) -> None:
    interview = make_recorded_interview(org)
    with translation.override("en"):
        data = report_pdf(report_for_hr(actor=org["users"]["hr"], session_id=interview.session.pk))
    text = _text(data)
    for expected in (
        "Delivery signals are shown but do not count in scores",
        "Voice · Scored",
        "Video · Scored",
        f"Transcribed by {EN_BACKEND}.",
        "When a customer complained I said <script>alert('x')</script> sorry & wrote it down.",
        "Long pauses: the longest lasted 4.6 s, and pauses took 41% of the answer.",
        "Several faces were in view for 4 s (10–14 s): check the recording.",
        "Speaking rate",
        "110–170 words a minute",
        "Shown for information; not counted in this answer's score.",
        "Moment to check",
    ):
        assert expected in text, expected
    assert text.count("Speech and loudness") == 2  # one timeline per recorded answer
    assert text.count("Looking toward the camera") == 2  # the video answer's metric row and chart row


def test_the_pdf_download_from_the_report_page(org: dict[str, Any]) -> None:
    interview = make_recorded_interview(org, delivery_in_score=True, used_in_score=True)
    response = browser(org["users"]["hr"]).get(reverse("interviews:report_pdf", args=[interview.session.pk]))
    assert response.status_code == 200
    text = _text(response.content)
    assert "Delivery signals count in scores: 20% of each recorded answer's score" in text
    assert text.count("Counted in this answer's score: delivery score 61.5, weighted 20%.") == 1
    assert "Counted in this answer's score: delivery score 70, weighted 20%." in text
