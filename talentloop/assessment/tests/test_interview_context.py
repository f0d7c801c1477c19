"""Job context: product, customer type and team size from Chinese and English job descriptions."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from talentloop.assessment.interview import JobContext, fill_placeholders, job_context


@pytest.mark.parametrize(
    ("title", "description", "expected"),
    [
        pytest.param("客户成功经理", "负责公司CRM系统的客户成功工作，面向中小企业客户，带领8人团队。",
                     JobContext("CRM系统", "中小企业", "8"), id="all-three"),
        pytest.param("销售经理", "我们的产品是一款智能排班软件。主要服务连锁门店，团队规模20人。",
                     JobContext("智能排班软件", "连锁门店", "20"), id="product-is"),
        pytest.param("SaaS销售", "开拓B2B市场，推广企业级SaaS产品，与一个１２人的团队合作。",
                     JobContext("企业级SaaS产品", "企业", "12"), id="keywords-and-full-width"),
        pytest.param("客户成功经理", "加入我们的云桌面产品团队（8人），服务企业客户。",
                     JobContext("云桌面产品", "企业客户", "8"), id="ours-and-team-in-brackets"),
        pytest.param("行政专员", "负责日常行政事务。", JobContext("我们的产品", "客户", "团队"), id="defaults"),
        pytest.param("", "", JobContext("我们的产品", "客户", "团队"), id="empty"),
    ],
)
def test_chinese(title: str, description: str, expected: JobContext) -> None:
    assert job_context(title=title, description=description, language="zh-hans") == expected


@pytest.mark.parametrize(
    ("title", "description", "expected"),
    [
        pytest.param("Customer Success Manager",
                     "You will support our cloud CRM platform for small businesses and lead a team of 8 people.",
                     JobContext("our cloud CRM platform", "small businesses", "8"), id="all-three"),
        pytest.param("Account Executive", "Selling payroll software to enterprise customers in a 12-person team.",
                     JobContext("our payroll software", "enterprise customers", "12"), id="verb-product"),
        pytest.param("Sales lead (B2B)", "Manage 6 account managers.",
                     JobContext("our product", "business customers", "6"), id="keyword"),
        pytest.param("Office assistant", "General office duties.",
                     JobContext("our product", "customers", "the team"), id="defaults"),
    ],
)
def test_english(title: str, description: str, expected: JobContext) -> None:
    assert job_context(title=title, description=description, language="en") == expected


def test_filling_reads_well_with_defaults_and_with_found_values() -> None:
    zh_default = JobContext("我们的产品", "客户", "团队")
    assert fill_placeholders("一位{customer_type}客户抱怨{product}不好用，你所在的{team_size}人团队…", zh_default,
                             "zh-hans") == "一位客户抱怨我们的产品不好用，你所在的十人团队…"
    zh = JobContext("CRM系统", "中小企业客户", "8")
    assert fill_placeholders("一位{customer_type}客户抱怨{product}不好用，{team_size}人团队", zh, "zh-hans") == (
        "一位中小企业客户抱怨CRM系统不好用，8人团队"
    )
    en_default = JobContext("our product", "customers", "the team")
    assert fill_placeholders(
        "A {customer_type} buyer will award you the {product} contract; your team of {team_size} people.",
        en_default, "en",
    ) == "A buyer will award you our product contract; your team of ten people."
    en = JobContext("our payroll software", "enterprise customers", "12")
    assert fill_placeholders("A {customer_type} customer says your {product} is late; a team of {team_size}.",
                             en, "en") == "An enterprise customer says our payroll software is late; a team of 12."
    assert fill_placeholders("{customer_type} customers", JobContext("x", "small businesses", "3"), "en") == (
        "Small business customers"
    )
    assert fill_placeholders("No placeholder {here}", en, "en") == "No placeholder {here}"


@settings(max_examples=200, deadline=None)
@given(title=st.text(max_size=60), description=st.text(max_size=400), language=st.sampled_from(["zh-hans", "en"]))
def test_never_raises_and_always_fills(title: str, description: str, language: str) -> None:
    context = job_context(title=title, description=description, language=language)
    assert context.product
    assert context.customer_type
    assert context.team_size
    assert max(len(context.product), len(context.customer_type), len(context.team_size)) <= 40
    assert "{" not in fill_placeholders("{product} {customer_type} {team_size}人", context, language)
