"""Issue #4's "done when", in a real browser against the live server: HR invites a candidate to an AI interview
from the application page; the candidate, on a phone-sized window, reads the consent page, consents and answers
eight generated questions one at a time (a draft survives a reload), and hands the interview in; HR reads the
report (radar chart, fit level, evidenced strengths and weaknesses, every answer escaped), downloads the PDF,
rates an answer, decides and releases the feedback; the candidate reads it on the phone and asks for a human
review, which HR then sees on the report.

HR works on a desktop-sized window in English; the interview is in Chinese, so every candidate page is Chinese.
The candidate never logs in: the secret link is the only key. Screenshots go to artifacts/screenshots/;
docs/screenshots/ keeps copies of interview-phone, report-desktop, feedback-phone and questions-desktop."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.utils import translation
from django.utils.translation import gettext
from pypdf import PdfReader

from talentloop.interviews.bank import sync_question_bank
from talentloop.interviews.models import (
    HumanReviewRequest,
    InterviewAnswer,
    InterviewQuestion,
    InterviewReport,
    InterviewSession,
    SessionQuestion,
)
from talentloop.interviews.selectors.reports import report_document
from talentloop.interviews.services.rules import consent_paragraphs
from talentloop.interviews.tests._support import DEFAULT_MODEL, make_application, make_job
from talentloop.org.models import Competency
from talentloop.recruiting.defaults import load_defaults
from talentloop.recruiting.models import EmailTemplate, OfferTemplate, Stage

from .conftest import DESKTOP, PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "pass-word-123"  # the factories' password
JOB_TITLE = "客户成功经理"
# The generator fills its situational templates from this: product 云帆ERP, customers 中小企业, a team of 6.
JOB_DESCRIPTION = (
    "我们的产品是云帆ERP，主要服务中小企业客户。你将加入6人的团队，负责客户上线、续费和满意度，定期向上级汇报客户健康度。"
)
CANDIDATE = "林晓雨"
SCRIPT = "<script>alert(1)</script>"
AUTOSAVED_POSITION = 2  # the question whose draft must survive a reload

# Answers by the question's competency: strong, specific STAR answers for the two heaviest competencies of the
# model (whichever of their bank questions the generator picks, they cover its key points), a middling one for
# teamwork (some key points, no example) and an evasive one, carrying a script tag, for problem solving.
ANSWERS = {
    "communication": (
        "去年我负责推动一项涉及8人的报销流程调整，也定期向上级汇报进展。会前我先梳理要点，提前单独找有顾虑的同事了解关切，"
        "预判大家担心工作量增加。会上我先说结论再讲原因，用数据和事实支撑：新流程把审批时间从5天缩短到2天。"
        "我认真倾听每个人的意见，用自己的话复述确认理解，再针对顾虑逐条回应，解释原因并调整了方案；对上级的追问，我能准确补充细节。"
        "面对高层、客户和一线员工，我针对不同受众调整表达，但保持核心信息一致，推动各方达成共识。遇到情绪激动的客户，我先倾听稳定情绪，"
        "再通过提问澄清具体问题。会后当天我发出会议纪要，书面确认共识和待办事项、负责人和时间，一周后跟进反馈。"
        "结果新流程两周内全员落地，投诉减少了60%。"
    ),
    "customer_orientation": (
        "在上一家公司，一位重要的企业客户投诉交付延期影响了业务，要求赔偿。我先诚恳道歉，认真倾听并承认问题，"
        "了解对客户业务的实际影响，比如停工两天、损失30个订单。然后我协调内部加急，提出补救方案，在授权内提供一个月服务延期，"
        "超出部分当天申请授权并告知答复时间。我还主动了解客户需求背后的目的，区分表面要求和真实需求，"
        "坦诚说明现状，不做虚假承诺，提供替代方案，并把需求记录下来反馈给产品团队。交付后我回访跟进，推动内部复盘，"
        "用数据说明对客户和公司的影响，改进了排期流程，防止再次发生。结果客户续约并把采购量提高了20%，得到了客户认可。"
    ),
    "teamwork": (
        "我会先私下找这位同事了解原因，看看是不是任务太多。如果我手上的工作不忙，就主动配合、提供帮助，分担任务，"
        "也会分享已有成果和资料，尽量不让项目受影响。"
    ),
    "problem_solving": f"这个要看具体情况吧。{SCRIPT}实在不行就交给领导决定。",
}
STRONG = ("communication", "customer_orientation")
PDF_SNIPPET = "新流程把审批时间从5天缩短到2天"  # from the communication answer, as the PDF must show it


def login(page: Any, base: str, username: str) -> None:
    page.goto(f"{base}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.press("#id_password", "Enter")  # the first submit button on a page is the language switch
    page.wait_for_url(f"{base}/")


def zh(message: str) -> str:
    """The Chinese the candidate's pages show for a message (their catalogue, whatever its wording)."""
    with translation.override("zh-hans"):
        text = gettext(message)
    assert text != message, f"not translated into Chinese: {message!r}"
    return text


def compact(text: str) -> str:
    return re.sub(r"\s+", "", text)


def without_quotes(text: str) -> str:
    """The text with the quoted parts (the candidate's own words, a question's wording) taken out."""
    return re.sub(r"“[^”]*”", "", text)


def test_ai_interview_from_invitation_to_feedback(
    live_server: Any, org: dict[str, Any], page_factory: Any, screenshot_dir: Path, settings: Any
) -> None:
    base = live_server.url
    # The links in the emails and on HR's pages point at this server.
    settings.TALENTLOOP_SITE_URL = base
    # Transactional tests empty every table afterwards, including what the migrations ship: put it back.
    load_defaults(EmailTemplate, OfferTemplate)
    sync_question_bank(InterviewQuestion, Competency)
    job = make_job(org["departments"]["sales"], title=JOB_TITLE, description=JOB_DESCRIPTION)
    application = make_application(job, name=CANDIDATE, email="linxiaoyu@example.com", language="zh-hans",
                                   stage=Stage.SCREENING)
    model_codes = [code for code, _weight, _required in DEFAULT_MODEL]

    script_errors: list[str] = []  # uncaught JavaScript errors on any page of the journey
    dialogs: list[str] = []  # an alert() would mean an answer ran as script

    def dialog_seen(dialog: Any) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    def watch(page: Any) -> Any:
        page.on("pageerror", lambda error: script_errors.append(str(error)))
        page.on("dialog", dialog_seen)
        return page

    # --- 1. HR invites the candidate from the application page and copies the link ---------------------------
    hr = watch(page_factory(DESKTOP, locale="en-US"))
    login(hr, base, "hr")
    assert hr.locator("html").get_attribute("lang") == "en"
    hr.goto(f"{base}/recruiting/applications/{application.pk}/")
    assert "No AI interview yet." in hr.locator("[data-testid=ai-interviews]").inner_text()
    hr.click("[data-testid=ai-interview-invite]")
    hr.wait_for_url(f"{base}/interviews/applications/{application.pk}/invite/")
    form = hr.locator("[data-testid=invite-form]")
    form.locator("#id_language").select_option("zh-hans")
    assert form.locator("input[name=mode][value=auto]").is_checked()  # generated from the competency model
    assert form.locator("#id_expires_in_days").input_value() == "7"
    hr.click("[data-testid=invite-submit]")
    hr.wait_for_selector("[data-testid=invite-url]")
    session = InterviewSession.objects.get(application=application)
    candidate_link = hr.locator("[data-testid=invite-url]").input_value()
    assert candidate_link == f"{base}/interview/{session.token}/"
    assert (session.language, session.status, session.round) == ("zh-hans", InterviewSession.Status.INVITED, 1)
    questions = list(
        SessionQuestion.objects.filter(session=session).select_related("competency", "question").order_by("position")
    )
    assert [q.position for q in questions] == list(range(1, 9))
    # Every competency of the model is asked about, the heavier ones at least as often as the lighter ones.
    asked = [q.competency.code for q in questions]
    counts = [asked.count(code) for code in model_codes]
    assert min(counts) >= 1
    assert counts == sorted(counts, reverse=True)
    # The job's context filled the templates.
    assert all("{" not in q.text for q in questions)
    for q in questions:
        if "{product}" in q.question.text:
            assert "云帆ERP" in q.text
        if "{customer_type}" in q.question.text:
            assert "中小企业" in q.text
        if "{team_size}" in q.question.text:
            assert "6人" in q.text
    # The invitation went out in Chinese with the same link.
    invitation = [m for m in mail.outbox if session.token in m.body]
    assert len(invitation) == 1
    assert invitation[0].to == ["linxiaoyu@example.com"]
    assert invitation[0].subject == zh("%(company)s: your AI interview for %(job)s") % {
        "company": settings.TALENTLOOP_COMPANY_NAME, "job": JOB_TITLE,
    }
    assert candidate_link in invitation[0].body
    application.refresh_from_db()
    assert application.stage == Stage.AI_INTERVIEW
    hr.screenshot(path=str(screenshot_dir / "interview-invite-desktop.png"))

    # --- 2. The candidate reads the consent page on a phone and agrees ----------------------------------------
    phone = watch(page_factory(PHONE, locale="zh-CN"))
    phone.goto(candidate_link)
    phone.wait_for_selector("[data-testid=interview-consent]")
    assert phone.locator("html").get_attribute("lang") == "zh-hans"
    assert phone.locator("[data-testid=consent-accept]").inner_text() == zh("Agree and start")
    consent_text = phone.locator("[data-testid=interview-consent]").inner_text()
    paragraphs = dict(consent_paragraphs("zh-hans"))
    analysed, rights = zh("What is analysed"), zh("Your rights")
    for heading in (analysed, rights, zh("How the result is used")):
        assert heading in consent_text
        assert paragraphs[heading] in phone.locator("[data-testid=consent-paragraph]").all_inner_texts()
    assert "文字" in paragraphs[analysed] or "文本" in paragraphs[analysed]  # what is analysed: the typed text
    assert "人工" in paragraphs[rights]  # and the right to a person instead
    assert phone.locator("[data-testid=consent-human]").is_visible()  # ... with the button for it
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    phone.screenshot(path=str(screenshot_dir / "interview-consent-phone.png"))
    phone.check("[data-testid=consent-agree]")
    phone.click("[data-testid=consent-accept]")

    # --- 3. Eight questions, one at a time, each with its countdown ------------------------------------------
    with translation.override("zh-hans"):
        progress_format = gettext("Question %(n)s of %(total)s")
    saved_prefix = zh("Saved at {time}").split("{time}")[0]
    for question in questions:
        n = question.position
        phone.wait_for_url(f"{base}/interview/{session.token}/q/{n}/")
        assert phone.locator("[data-testid=question-text]").inner_text() == question.text
        assert phone.locator("[data-testid=question-progress]").inner_text() == progress_format % {"n": n, "total": 8}
        assert phone.locator("[data-testid=question-done]").count() == 0
        # The countdown: the script turns the server's seconds into m:ss and counts down from the time limit.
        timer = phone.locator("[data-testid=question-timer]")
        phone.wait_for_function(
            "el => /^\\d+:[0-5]\\d$/.test(el.textContent.trim())", arg=timer.element_handle()
        )
        assert timer.is_visible()
        minutes, seconds = (int(part) for part in timer.inner_text().split(":"))
        assert 0 < minutes * 60 + seconds <= question.time_limit_seconds
        text = ANSWERS[question.competency.code]
        field = phone.locator("[data-testid=answer-text]")
        field.fill(text)
        if n != AUTOSAVED_POSITION:
            field.blur()  # leaving the field saves the draft at once (otherwise a moment after typing stops)
        # Submit once the page says the draft is on the server. (Tapping "submit" mid-save sends the save and
        # the submission at once; the live server's threads share one in-memory SQLite connection, which cannot
        # take two requests at a time: a test-only limit, not the application's.)
        phone.wait_for_function(
            "prefix => document.querySelector('[data-testid=save-status]').textContent.startsWith(prefix)",
            arg=saved_prefix,
        )
        if n == AUTOSAVED_POSITION:
            # Autosave: the draft is on the server; forget the copy on the device and reload: the text comes back.
            draft = InterviewAnswer.objects.get(session_question=question)
            assert (draft.status, draft.draft_text) == (InterviewAnswer.Status.DRAFT, text)
            phone.evaluate("window.localStorage.clear()")
            phone.reload()
            phone.wait_for_selector("[data-testid=answer-text]")
            assert field.input_value() == text
            assert phone.locator("[data-testid=save-status]").inner_text() == ""  # nothing newer on the device
            phone.wait_for_function(
                "el => /^\\d+:[0-5]\\d$/.test(el.textContent.trim())", arg=timer.element_handle()
            )
            left = [int(part) for part in timer.inner_text().split(":")]
            assert 0 < left[0] * 60 + left[1] <= minutes * 60 + seconds  # the clock did not restart
            assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
            phone.screenshot(path=str(screenshot_dir / "interview-phone.png"))
        submit = phone.locator("[data-testid=answer-submit]")
        assert submit.inner_text() == (zh("Submit and review") if n == 8 else zh("Submit and go to the next question"))
        submit.click()
        if n < 8:
            phone.wait_for_url(f"{base}/interview/{session.token}/q/{n + 1}/")

    # --- 4. The final confirmation, and the done page -------------------------------------------------------
    phone.wait_for_url(f"{base}/interview/{session.token}/finish/")
    assert phone.locator("[data-testid=unanswered]").count() == 0
    phone.click("[data-testid=interview-complete]")
    phone.wait_for_url(f"{base}/interview/{session.token}/done/")
    done = phone.locator("[data-testid=interview-done] h1").inner_text()
    assert done == zh("Thank you, your interview was submitted")
    phone.screenshot(path=str(screenshot_dir / "interview-done-phone.png"))
    session.refresh_from_db()
    assert session.status == InterviewSession.Status.COMPLETED
    answers = {a.session_question.position: a for a in InterviewAnswer.objects.filter(
        session_question__session=session).select_related("session_question__competency")}
    assert {p: a.text for p, a in answers.items()} == {q.position: ANSWERS[q.competency.code] for q in questions}
    assert {a.status for a in answers.values()} == {InterviewAnswer.Status.SCORED}
    # Strong answers scored clearly above the weak ones.
    strong = [float(a.score or 0) for a in answers.values() if a.session_question.competency.code in STRONG]
    weak = [float(a.score or 0) for a in answers.values() if a.session_question.competency.code not in STRONG]
    print(f"\nanswer scores: strong {sorted(strong)}, weak {sorted(weak)}")
    assert min(strong) >= 75
    assert max(weak) <= min(strong) - 15

    # --- 5. HR reads the report: radar, fit, evidenced strengths and weaknesses, escaped answers --------------
    report_url = f"{base}/interviews/{session.pk}/report/"
    hr.goto(f"{base}/recruiting/applications/{application.pk}/")
    row = hr.locator(f"[data-testid=ai-interview-row][data-session='{session.pk}']")
    assert row.get_attribute("data-status") == "completed"
    row.locator("[data-testid=ai-interview-report]").click()
    hr.wait_for_url(report_url)
    hr.wait_for_selector("svg[data-testid=radar]")
    report = InterviewReport.objects.get(session=session)
    assert report.status == InterviewReport.Status.READY
    with translation.override("en"):
        doc = report_document(session)
    assert doc["status"] == "ready"
    assert hr.locator("[data-testid=report-pending]").count() == 0
    radar = hr.locator("svg[data-testid=radar]")
    names = [row["name"] for row in doc["competencies"]]
    assert len(names) == len(model_codes) == 4
    assert radar.locator(".radar-labels text").all_text_contents() == names  # one axis per competency
    assert radar.locator(".radar-grid line").count() == 4
    assert radar.locator("polygon.radar-score").count() == 1
    assert radar.locator("polygon.radar-required").count() == 1
    assert hr.locator("[data-testid=fit-label]").inner_text() == doc["fit"]["label"]
    assert doc["fit"]["label"]
    assert doc["fit"]["level"] == report.fit_level
    assert hr.locator("[data-testid=overall-score]").inner_text() not in ("", "—")
    strengths = hr.locator("[data-testid=strengths] .finding").all_inner_texts()
    weaknesses = hr.locator("[data-testid=weaknesses] .finding").all_inner_texts()
    assert strengths == [item["explanation"] for item in doc["strengths"]]
    assert weaknesses == [item["explanation"] for item in doc["weaknesses"]]
    assert {item["code"] for item in doc["strengths"]} == set(STRONG)
    assert {item["code"] for item in doc["weaknesses"]} == {"teamwork", "problem_solving"}
    # A strength quotes the candidate's own words.
    assert all(re.search(r"“[^”]+”", text) for text in strengths)
    assert any(compact(sentence)[:12] in compact(ANSWERS[code]) for code in STRONG
               for sentence in re.findall(r"“([^”…]+)", " ".join(strengths)))
    # Each answer, as written, as text: the script tag is shown, not run.
    shown = hr.locator("[data-testid=answer] [data-testid=answer-text]").all_inner_texts()
    assert shown == [answers[p].text for p in sorted(answers)]
    assert sum(SCRIPT in text for text in shown) == asked.count("problem_solving")
    assert hr.locator("[data-testid=answer] script").count() == 0
    assert dialogs == []
    assert hr.locator("[data-testid=answer-score]").count() == 8
    hr.screenshot(path=str(screenshot_dir / "report-desktop.png"))
    hr.screenshot(path=str(screenshot_dir / "interview-report-full-desktop.png"), full_page=True)

    # The PDF, downloaded as HR's browser downloads it, with the candidate's Chinese text in it.
    with hr.expect_download() as download_info:
        hr.click("[data-testid=report-pdf]")
    download = download_info.value
    assert download.suggested_filename == f"interview-report-{session.pk}.pdf"
    data = Path(download.path()).read_bytes()
    assert data.startswith(b"%PDF")
    pdf_text = compact("".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages))
    assert PDF_SNIPPET in pdf_text
    assert CANDIDATE in pdf_text

    # HR rates a strong answer, decides, and releases the feedback.
    rated = next(q.position for q in questions if q.competency.code == "communication")
    article = hr.locator(f"#answer-{rated}")
    article.locator(f"#rating-{rated}").fill("88")
    with hr.expect_navigation():
        article.locator(".rating-form button[type=submit]").click()
    assert hr.locator(".messages .message-success").inner_text() == f"Your rating of answer {rated} (88) is saved."
    assert hr.locator(f"#rating-{rated}").input_value() == "88"
    rated_answer = InterviewAnswer.objects.get(session_question__session=session, session_question__position=rated)
    assert rated_answer.hr_rating == 88
    hr.select_option("#decision", "advance")
    hr.fill("#overall-rating", "80")
    hr.fill("#comment", "沟通和客户意识突出，团队协作需要在下一轮面试中追问。")
    hr.click("form[action$='/report/decision/'] button[type=submit]")
    hr.wait_for_function("document.querySelector('[data-testid=decision]').textContent.trim() === 'Advance'")
    assert "overall rating 80" in hr.locator("[data-testid=current-decision]").inner_text()
    hr.click("[data-testid=release-feedback]")
    hr.wait_for_selector("[data-testid=feedback-released]")
    report.refresh_from_db()
    assert (report.decision, report.hr_rating) == (InterviewReport.Decision.ADVANCE, 80)
    assert report.feedback_released_at is not None
    assert report.feedback["language"] == "zh-hans"

    # --- 6. The candidate reads the feedback on the phone (the link from the email) and asks for a person -----
    emails = [m for m in mail.outbox if "/feedback/" in m.body]
    assert len(emails) == 1
    assert emails[0].to == ["linxiaoyu@example.com"]
    found = re.search(r"https?://\S+/feedback/", str(emails[0].body))
    assert found is not None
    feedback_link = found.group(0)
    assert feedback_link == f"{base}/interview/{session.token}/feedback/"
    phone.goto(feedback_link)
    phone.wait_for_selector("[data-testid=feedback-strengths]")
    assert phone.locator("html").get_attribute("lang") == "zh-hans"
    assert phone.locator("h1").inner_text() == zh("Your interview feedback")
    good = phone.locator("[data-testid=feedback-strengths] li").all_inner_texts()
    better = phone.locator("[data-testid=feedback-suggestions] li").all_inner_texts()
    assert good == report.feedback["strengths"]
    assert len(good) >= 2
    assert better == report.feedback["suggestions"]
    assert len(better) >= 2
    # No score: outside the quotes of the candidate's own words (and of a question), not a single digit.
    for section in ("feedback-strengths", "feedback-suggestions"):
        text = phone.locator(f"[data-testid={section}]").inner_text()
        assert not re.search(r"\d", without_quotes(text)), text
    assert "沟通和客户意识突出" not in phone.locator("main").inner_text()  # no HR note
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    phone.screenshot(path=str(screenshot_dir / "feedback-phone.png"))
    reason = "我认为团队协作那道题的回答没有充分展示我的经历，希望有人再看一下。"
    phone.fill("#reason", reason)
    phone.click("[data-testid=ask-review]")
    phone.wait_for_selector("[data-testid=review-requested]")
    review = HumanReviewRequest.objects.get(session=session)
    assert (review.kind, review.status, review.reason) == (
        HumanReviewRequest.Kind.OF_RESULT, HumanReviewRequest.Status.OPEN, reason,
    )

    # --- 7. HR sees the open request on the report and on the application ------------------------------------
    hr.goto(report_url)
    requests = hr.locator("[data-testid=review-requests]")
    requests.wait_for()
    assert requests.locator(".badge-amber").inner_text() == "Open"
    assert reason in requests.inner_text()
    hr.goto(f"{base}/recruiting/applications/{application.pk}/")
    assert hr.locator("[data-testid=ai-interview-review-request]").inner_text() == "1 open request for a person"

    # --- 8. The question bank HR draws from ----------------------------------------------------------------
    hr.goto(f"{base}/interviews/questions/")
    hr.wait_for_selector("[data-testid=question-list]")
    filters = hr.locator("[data-testid=question-filters]")
    filters.locator("#id_language").select_option("zh-hans")
    filters.locator("#id_competency").select_option(label="Communication")
    with hr.expect_navigation():
        filters.locator("button[type=submit]").click()
    codes = hr.locator("[data-testid=question-list] tbody tr").evaluate_all("rows => rows.map(r => r.dataset.code)")
    assert codes == [f"communication-zh-{i}" for i in range(1, 5)]  # the shipped four, Chinese
    hr.screenshot(path=str(screenshot_dir / "questions-desktop.png"))

    assert script_errors == []
    assert dialogs == []
