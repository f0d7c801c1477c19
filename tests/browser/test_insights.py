"""Issue #7's "done when", in a real browser against the live server, on the demo's two years of history (the
org demo with 100 employees, the recruiting and interview demos, then the insights history).

HR opens Insights, goes to the interview calibration of the sales job (销售经理) and finds influence &
negotiation flagged: the interview over-rates it, with the evidence (n, both means, the gap with its 95% CI,
Pearson and Spearman) and a recommendation naming the current questions. From there HR opens question validity
and retires the question the data says to retire, through the confirm dialog (dismissing it first changes
nothing). The gap employee's manager (manager1), on a phone, goes from the employee's performance profile to
the training recommendations, reads why a course is recommended, enrols the employee with a schedule and
finds the enrolment on the page and in the learning list. HR reads the dashboard (charts, every metric's
definition next to its number), downloads the Excel export (opened with openpyxl: a Definitions sheet with every
metric), opens the fairness audit by age band (groups, rates, definitions; the audit report downloads too) and
the demand forecast of the sales department with its method named.

Everyone uses the Chinese interface, so the expected texts come from the zh-Hans catalogue and from the
selectors run in Chinese on the same data. Screenshots go to artifacts/screenshots/; docs/screenshots/ keeps
copies of insights-calibration-desktop, insights-dashboard-desktop, learning-recommendations-phone and
insights-fairness-desktop."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from django.template.defaultfilters import floatformat
from django.utils import timezone, translation
from django.utils.translation import gettext, ngettext

from talentloop.assessment.insights import stats
from talentloop.core.models import User
from talentloop.insights.calibration import job_calibration
from talentloop.insights.demo import insights_demo_seed
from talentloop.insights.fairness import fairness_audit
from talentloop.insights.forecast import METHOD_LABELS, department_forecast
from talentloop.insights.metric_defs import BY_KEY
from talentloop.insights.metrics import metrics_dashboard, metrics_filters_parse
from talentloop.insights.question_validity import job_question_validity
from talentloop.insights.views.metrics import display_value
from talentloop.interviews.demo import interviews_demo_seed
from talentloop.interviews.models import InterviewQuestion
from talentloop.learning.models import Enrollment
from talentloop.learning.recommendations import training_recommendations
from talentloop.org.demo import DEMO_PASSWORD, demo_seed
from talentloop.org.models import Department, Employee, Job
from talentloop.recruiting.demo import recruiting_demo_seed

from .conftest import DESKTOP, PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SALES_JOB = "销售经理"
OVER_RATED = "influence_negotiation"  # the sales job's story: the interview over-rates it
RETIRE = "customer_orientation-zh-3"  # the question whose answers go against later performance
ATTRIBUTE = "age_band"
DOCS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
DOCS_COPIES = (
    "insights-calibration-desktop.png", "insights-dashboard-desktop.png", "learning-recommendations-phone.png",
    "insights-fairness-desktop.png",
)


@pytest.fixture
def history(transactional_db: Any, tmp_path: Path) -> dict[str, Any]:
    """The demo company with two years of history; returns the insights demo's summary."""
    demo_seed(employees=100, seed=42, reset=False, stdout=io.StringIO())
    recruiting_demo_seed(seed=42, folder=tmp_path)
    interviews_demo_seed(seed=7)
    return insights_demo_seed(seed=7)


def zh(message: str) -> str:
    with translation.override("zh-hans"):
        text = gettext(message)
    assert text != message, f"not translated into Chinese: {message!r}"
    return text


def number(value: float | None, places: int) -> str:
    """What the templates' floatformat shows in Chinese."""
    with translation.override("zh-hans"):
        return str(floatformat(value, places))


def compact(text: str) -> str:
    return re.sub(r"\s+", "", text)


def login(page: Any, base: str, username: str) -> None:
    page.goto(f"{base}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.press("#id_password", "Enter")  # the first submit button on a page is the language switch
    page.wait_for_url(f"{base}/")


def fits_phone(page: Any) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def messages_text(page: Any) -> str:
    return page.locator(".messages").inner_text()


def test_hr_closes_the_loop_from_calibration_to_training_dashboards_and_fairness(
    live_server: Any, history: dict[str, Any], page_factory: Any, screenshot_dir: Path
) -> None:
    base = live_server.url
    hr_user = User.objects.get(username="hr")
    manager_user = User.objects.get(username="manager1")
    job = Job.objects.get(pk=next(j["job"] for j in history["jobs"] if j["title"] == SALES_JOB))
    gap_employee = Employee.objects.get(pk=history["gap_employee"])
    assert history["gap_competency"] == OVER_RATED
    today = timezone.localdate()

    script_errors: list[str] = []

    def page(size: dict[str, int]) -> Any:
        created = page_factory(size, locale="zh-CN")
        created.on("pageerror", lambda error: script_errors.append(str(error)))
        return created

    # --- 1. HR: Insights → interview calibration of the sales job -------------------------------------------
    hr = page(DESKTOP)
    login(hr, base, "hr")
    assert hr.locator("html").get_attribute("lang") == "zh-hans"
    hr.click("[data-testid=nav-insights]")
    hr.wait_for_url(f"{base}/insights/")
    hr.click("[data-testid=insights-subnav] [data-testid=subnav-calibration]")
    hr.wait_for_url(f"{base}/insights/calibration/")
    assert hr.locator("h1").inner_text() == zh("Interview calibration")
    hr.select_option("#id_job", str(job.pk))
    hr.click("[data-testid=job-picker] button[type=submit]")
    hr.wait_for_url(f"{base}/insights/calibration/?job={job.pk}")

    with translation.override("zh-hans"):
        calibration = job_calibration(user=hr_user, job=job)
        hires_line = ngettext(
            "%(n)s hire with an interview or a review score; minimum sample %(min_n)s.",
            "%(n)s hires with an interview or a review score; minimum sample %(min_n)s.", calibration.hires,
        ) % {"n": calibration.hires, "min_n": calibration.min_n}
    assert hires_line in hr.locator("main").inner_text()
    rows = {c.code: c for c in calibration.competencies}
    over = rows[OVER_RATED]
    assert over.flag == stats.OVER_RATED
    assert over.n >= calibration.min_n == 10
    assert over.gap is not None
    assert over.gap_ci is not None
    assert over.pearson is not None
    assert over.spearman is not None
    assert over.recommendation is not None
    table = hr.locator("[data-testid=calibration-table]")
    assert table.locator("tbody tr").count() == len(calibration.competencies)
    row = table.locator(f"tr[data-code={OVER_RATED}]")
    assert row.get_attribute("data-flag") == stats.OVER_RATED
    cells = row.locator("th, td").all_inner_texts()
    assert cells[:8] == [
        over.competency.name,  # the Chinese name
        str(over.n), number(over.mean_interview, 1), number(over.mean_performance, 1), number(over.gap, 1),
        f"{number(over.gap_ci[0], 1)} … {number(over.gap_ci[1], 1)}",
        f"{number(over.pearson.r, 2)} p={number(over.pearson.p_value, 3)}",
        f"{number(over.spearman.r, 2)} p={number(over.spearman.p_value, 3)}",
    ]
    assert cells[8] == zh("Interview over-rates")
    # The recommendation names the competency, the gap with its CI and the questions asked now.
    assert cells[9] == f"{over.recommendation} {zh('See question validity')}"
    assert over.competency.name in cells[9]
    assert all(q.code in cells[9] for q in over.questions[:5])
    # The other flags are as computed (only the over-rated one is flagged red here).
    flagged = table.locator("tr[data-flag=over_rated], tr[data-flag=low_validity]")
    assert flagged.evaluate_all("rows => rows.map(r => r.dataset.code)") == [c.code for c in calibration.flagged]
    # The chart draws the same gaps; the definitions explain every column.
    assert hr.locator("svg.calibration-chart").is_visible()
    definitions = hr.locator("[data-testid=calibration-definitions] dt").all_inner_texts()
    for term in ("Hires (n)", "Gap", "Interview over-rates", "Low validity", "Not enough data"):
        assert zh(term) in definitions, term
    assert {"Pearson r", "Spearman ρ"} <= set(definitions)
    hr.screenshot(path=str(screenshot_dir / "insights-calibration-desktop.png"), full_page=True)

    # --- 2. Question validity: retire the weak question in one click, through the confirm dialog ------------
    row.locator(f"a[href$='/insights/questions/?job={job.pk}']").click()
    hr.wait_for_url(f"{base}/insights/questions/?job={job.pk}")
    with translation.override("zh-hans"):
        validity = {q.question.code: q for q in job_question_validity(user=hr_user, job=job).questions}
    weak = validity[RETIRE]
    assert (weak.suggestion, weak.can_retire) == (stats.RETIRE, True)
    assert weak.pearson is not None
    assert weak.pearson.r < 0
    question_row = hr.locator(f"[data-testid=questions-table] tr[data-code='{RETIRE}']")
    assert question_row.get_attribute("data-suggestion") == stats.RETIRE
    suggestion_cell = question_row.locator("td").nth(5).inner_text()
    assert suggestion_cell.splitlines() == [zh("Retire"), weak.reason]
    validity_text = f"{number(weak.pearson.r, 2)} p={number(weak.pearson.p_value, 3)}"
    assert question_row.locator("td").nth(4).inner_text() == validity_text
    retire_button = question_row.locator(f"[data-testid='retire-{RETIRE}']")
    with translation.override("zh-hans"):
        confirm = gettext("Retire question %(code)s? It will not be asked in new interviews.") % {"code": RETIRE}
    dialogs: list[str] = []

    def answer(dialog: Any, accept: bool) -> None:
        dialogs.append(dialog.message)
        dialog.accept() if accept else dialog.dismiss()

    hr.once("dialog", lambda dialog: answer(dialog, False))  # HR changes their mind: nothing happens
    retire_button.click()
    assert dialogs == [confirm]
    assert hr.url == f"{base}/insights/questions/?job={job.pk}"
    assert InterviewQuestion.objects.get(code=RETIRE).is_active is True
    hr.once("dialog", lambda dialog: answer(dialog, True))
    with hr.expect_navigation():
        retire_button.click()
    assert dialogs == [confirm, confirm]
    assert hr.url == f"{base}/insights/questions/?job={job.pk}"
    with translation.override("zh-hans"):
        retired = gettext("Question %(code)s retired: it will not be asked again.") % {"code": RETIRE}
    assert messages_text(hr) == retired
    assert InterviewQuestion.objects.get(code=RETIRE).is_active is False
    question_row = hr.locator(f"[data-testid=questions-table] tr[data-code='{RETIRE}']")
    assert question_row.locator(".badge-grey").inner_text() == zh("Retired")
    assert question_row.locator(f"[data-testid='retire-{RETIRE}']").count() == 0  # no longer suggested
    assert question_row.locator("a[href*='/edit/']").count() == 0
    # Nothing else was retired.
    still = [c for c, q in validity.items() if c != RETIRE and q.can_retire]
    for code in still:
        assert hr.locator(f"[data-testid='retire-{code}']").count() == 1, code

    # --- 3. manager1, on a phone: the gap employee's training recommendations, enrol with a schedule --------
    boss = page(PHONE)
    login(boss, base, "manager1")
    boss.goto(f"{base}/performance/employees/{gap_employee.pk}/")
    boss.click("[data-testid=training-link]")
    boss.wait_for_url(f"{base}/learning/employees/{gap_employee.pk}/")
    with translation.override("zh-hans"):
        found = training_recommendations(user=manager_user, employee_id=gap_employee.pk)
    assert found.can_enrol
    (item,) = [r for r in found.recommendations if r.competency.code == OVER_RATED]
    assert item.gap.below_interview is not None
    assert item.gap.below_interview > found.margin
    assert item.courses
    gap_card = boss.locator(f"[data-testid=gap][data-competency={OVER_RATED}]")
    assert item.competency.name in gap_card.locator("h2").inner_text()
    with translation.override("zh-hans"):
        badge = gettext("gap %(g)s points") % {"g": number(item.gap.gap, -1)}
    assert gap_card.locator("h2 .badge").inner_text() == badge
    assert gap_card.locator("[data-testid=reason]").inner_text() == item.reason
    assert f"{number(item.gap.interview_score, -1)}" in gap_card.locator("tbody td").first.inner_text()
    best = item.courses[0]
    course_item = gap_card.locator(f"[data-testid=ranked-courses] > li[data-course='{best.course.pk}']")
    assert gap_card.locator("[data-testid=ranked-courses] > li").first.get_attribute("data-course") == str(
        best.course.pk
    )
    assert course_item.locator("strong").first.inner_text() == best.course.title
    assert course_item.locator("p.help").inner_text() == best.why
    start, due = today + dt.timedelta(days=7), today + dt.timedelta(days=49)
    form = course_item.locator("[data-testid=enrol-form]")
    form.locator("input[name=start_date]").fill(start.isoformat())
    form.locator("input[name=due_date]").fill(due.isoformat())
    fits_phone(boss)
    form.locator("button[type=submit]").click()
    boss.wait_for_url(f"{base}/learning/employees/{gap_employee.pk}/")
    with translation.override("zh-hans"):
        enrolled = gettext("%(name)s is enrolled in “%(course)s”.") % {
            "name": gap_employee.name, "course": best.course.title}
    assert messages_text(boss) == enrolled
    enrollment = Enrollment.objects.get(employee=gap_employee)
    assert (enrollment.course_id, enrollment.competency_id) == (best.course.pk, item.competency.pk)
    assert (enrollment.start_date, enrollment.due_date) == (start, due)
    assert enrollment.status == Enrollment.Status.PLANNED
    assert enrollment.enrolled_by_id == manager_user.pk
    assert enrollment.reason == item.reason
    # The course now shows the enrolment instead of the form; the employee's enrolments list it.
    gap_card = boss.locator(f"[data-testid=gap][data-competency={OVER_RATED}]")
    course_item = gap_card.locator(f"[data-testid=ranked-courses] > li[data-course='{best.course.pk}']")
    assert course_item.locator("[data-testid=enrol-form]").count() == 0
    enrolled_line = course_item.locator(f"a[href$='/learning/enrollments/{enrollment.pk}/']")
    assert enrolled_line.inner_text() == zh("Enrolled")
    assert f"{start.isoformat()} – {due.isoformat()}" in course_item.inner_text()
    listed = boss.locator("[data-testid=employee-enrollments] tbody tr")
    assert listed.count() == 1
    assert listed.locator("td").all_inner_texts()[:4] == [
        best.course.title, item.competency.name, start.isoformat(), due.isoformat(),
    ]
    fits_phone(boss)
    boss.screenshot(path=str(screenshot_dir / "learning-recommendations-phone.png"), full_page=True)
    enrolled_line.click()
    boss.wait_for_url(f"{base}/learning/enrollments/{enrollment.pk}/")
    assert boss.locator("[data-testid=enrollment-reason]").inner_text() == item.reason
    boss.goto(f"{base}/learning/")
    assert best.course.title in boss.locator(f"tr[data-enrollment='{enrollment.pk}']").inner_text()
    fits_phone(boss)

    # --- 4. The dashboard over the two years: charts, each metric's definition, the Excel export -----------
    hr.click("[data-testid=insights-subnav] a[href='/insights/']")
    hr.wait_for_url(f"{base}/insights/")
    assert hr.locator("h1").inner_text() == zh("Insights: recruiting and talent")
    hr.fill("#m-from", history["first_day"])
    hr.fill("#m-to", today.isoformat())
    with hr.expect_navigation():
        hr.click("[data-testid=metrics-filters] button[type=submit]")
    assert f"from={history['first_day']}" in hr.url
    with translation.override("zh-hans"):
        filters = metrics_filters_parse(params={"from": history["first_day"], "to": today.isoformat()})
        dashboard = metrics_dashboard(user=hr_user, filters=filters)
        expected = {
            m["key"]: (str(m["label"]), display_value(m), m["n"], str(BY_KEY[m["key"]].definition))
            for m in dashboard.metrics if m["unit"] != "table"
        }
    cards = hr.locator("article.metric")
    assert cards.count() == len(expected) >= 10
    shown = {}
    for index in range(cards.count()):
        card = cards.nth(index)
        shown[card.get_attribute("data-metric")] = (
            card.locator(".metric-label").inner_text(), card.locator(".metric-value").inner_text(),
            int(card.locator(".metric-n").inner_text().split("·")[0].removeprefix("n = ").strip()),
            card.locator(".metric-definition").inner_text(),
        )
    assert shown == expected
    for key in ("recruitment_accuracy", "retention_6m", "retention_12m", "probation_pass_rate",
                "training_completion", "candidate_satisfaction", "cost_per_hire"):
        assert shown[key][1] != "—", key
    assert hr.locator("svg.insights-funnel").is_visible()
    assert hr.locator("svg.insights-series").is_visible()
    with translation.override("zh-hans"):
        funnel_definition = str(BY_KEY["funnel"].definition)
    assert hr.locator("[data-testid=funnel] .metric-definition").inner_text() == funnel_definition
    hr.screenshot(path=str(screenshot_dir / "insights-dashboard-desktop.png"), full_page=True)

    with hr.expect_download() as download_info:
        hr.click("[data-testid=export-xlsx]")
    download = download_info.value
    assert download.suggested_filename == f"talentloop-metrics-{history['first_day']}-{today.isoformat()}.xlsx"
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(Path(download.path()).read_bytes()), read_only=True)
    assert zh("Definitions") in book.sheetnames
    sheet_rows = list(book[zh("Definitions")].iter_rows(values_only=True))
    assert list(sheet_rows[0]) == [zh("Metric"), zh("Key"), zh("Unit"), zh("Definition")]
    with translation.override("zh-hans"):
        definitions_expected = {m["key"]: str(m["definition"]) for m in dashboard.metrics}
    exported = {r[1]: r[3] for r in sheet_rows[1:] if r and r[1]}
    assert exported == definitions_expected
    book.close()

    # --- 5. The fairness audit by age band, with its definitions; the audit report downloads -----------------
    hr.click("[data-testid=insights-subnav] [data-testid=subnav-fairness]")
    hr.wait_for_url(f"{base}/insights/fairness/")
    assert hr.locator("h1").inner_text() == zh("Fairness audit")
    hr.select_option("#attribute", ATTRIBUTE)
    with hr.expect_navigation():
        hr.click("[data-testid=fairness-filters] button[type=submit]")
    assert f"attribute={ATTRIBUTE}" in hr.url
    with translation.override("zh-hans"):
        audit = fairness_audit(user=hr_user, job=None, attribute=ATTRIBUTE)
        from talentloop.insights.fairness import definitions as fairness_definitions

        words = fairness_definitions()
        groups = (*audit.selection.groups, *audit.scoring.groups)
        group_labels = {g.group: compact(audit.label(g.group)) for g in groups}
    assert audit.selection.groups
    assert audit.scoring.groups
    for key, result, definition in (("screening", audit.selection, words["selection_rate"]),
                                    ("ai_interview", audit.scoring, words["scoring_rate"])):
        part = hr.locator(f"[data-testid=fairness-{key}]")
        assert part.locator("p.definition").inner_text() == definition
        assert part.locator("thead th").first.inner_text() == zh("Age band")
        labels = [compact(t) for t in part.locator("tbody th").all_inner_texts()]
        assert [label.removesuffix(compact(zh("highest"))) for label in labels] == [
            group_labels[g.group] for g in result.groups
        ]
        counts = [int(t) for t in part.locator("tbody td.num:nth-of-type(1)").all_inner_texts()]
        assert counts == [g.n for g in result.groups]
        assert part.locator("table caption").inner_text() == f"{words['impact_ratio']} {words['four_fifths']}"
    glossary = hr.locator("dl.insight-definitions dd").all_inner_texts()
    assert glossary == [words[k] for k in ("selection_rate", "scoring_rate", "impact_ratio", "four_fifths",
                                           "unknown", "too_small")]
    hr.screenshot(path=str(screenshot_dir / "insights-fairness-desktop.png"), full_page=True)
    with hr.expect_download() as report_info:
        hr.click("[data-testid=fairness-export]")
    report = load_workbook(io.BytesIO(Path(report_info.value.path()).read_bytes()), read_only=True)
    assert report.sheetnames
    report.close()

    # --- 6. The demand forecast of the sales department names its method ------------------------------------
    hr.click("[data-testid=insights-subnav] [data-testid=subnav-forecast]")
    hr.wait_for_url(f"{base}/insights/forecast/")
    department = Department.objects.get(pk=history["gap_department"])
    hr.select_option("#department", str(department.pk))
    with hr.expect_navigation():
        hr.click("[data-testid=forecast-filters] button[type=submit]")
    with translation.override("zh-hans"):
        forecast = department_forecast(user=hr_user, department=department)
        method = str(METHOD_LABELS[forecast.method])
    with translation.override("en"):
        assert method != str(METHOD_LABELS[forecast.method])  # named in Chinese
    assert hr.locator("[data-testid=forecast-method]").inner_text() == method
    assert hr.locator("[data-testid=forecast] svg").is_visible()
    assert hr.locator("[data-testid=forecast-table] tbody tr").count() == len(forecast.quarters)

    assert script_errors == []
    DOCS.mkdir(parents=True, exist_ok=True)
    for name in DOCS_COPIES:
        shutil.copyfile(screenshot_dir / name, DOCS / name)
