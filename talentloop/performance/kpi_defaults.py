"""A starting KPI library for sales, customer success and engineering, in Chinese and English.

`kpi_library_seed()` adds the ones missing (by code) and leaves existing ones alone, so HR's edits survive
running it again (the demo seeding calls it). Competencies are linked by code when the library has them."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction

from talentloop.org.models import Competency

from .models import Kpi

D = Decimal
# code, name, name_en, formula, unit, direction, floor (0), threshold (60), target (100), competency code
DEFAULT_KPIS: tuple[dict[str, Any], ...] = (
    {"code": "sales_revenue_attainment", "name": "销售额达成率", "name_en": "Sales revenue attainment",
     "formula": "本期确认销售额 ÷ 销售额目标 × 100% / Recognised revenue in the period ÷ revenue quota × 100%",
     "unit": "%", "direction": "increase", "floor_value": D(50), "threshold_value": D(80), "target_value": D(100),
     "competency": "results_orientation"},
    {"code": "new_customers", "name": "新客户签约数", "name_en": "New customers signed",
     "formula": "本期首次签约的客户数 / Customers signing their first contract in the period",
     "unit": "个 / customers", "direction": "increase", "floor_value": D(0), "threshold_value": D(6),
     "target_value": D(10), "competency": "sales_acumen"},
    {"code": "sales_win_rate", "name": "商机赢单率", "name_en": "Opportunity win rate",
     "formula": "赢单商机数 ÷ 已关闭商机数 × 100% / Opportunities won ÷ opportunities closed × 100%",
     "unit": "%", "direction": "increase", "floor_value": D(10), "threshold_value": D(25), "target_value": D(35),
     "competency": "influence_negotiation"},
    {"code": "customer_satisfaction", "name": "客户满意度", "name_en": "Customer satisfaction (CSAT)",
     "formula": "季度客户满意度调查平均分（0–100）/ Mean score of the quarterly satisfaction survey (0–100)",
     "unit": "分 / points", "direction": "increase", "floor_value": D(60), "threshold_value": D(80),
     "target_value": D(92), "competency": "customer_orientation"},
    {"code": "customer_churn_rate", "name": "客户流失率", "name_en": "Customer churn rate",
     "formula": "本期流失客户数 ÷ 期初客户数 × 100% / Customers lost ÷ customers at the start × 100%",
     "unit": "%", "direction": "decrease", "floor_value": D(15), "threshold_value": D(8), "target_value": D(4),
     "competency": "customer_orientation"},
    {"code": "ticket_resolution_hours", "name": "工单平均解决时长", "name_en": "Mean ticket resolution time",
     "formula": "已解决工单从创建到解决的平均小时数 / Mean hours from opening to resolving a ticket",
     "unit": "小时 / hours", "direction": "decrease", "floor_value": D(72), "threshold_value": D(24),
     "target_value": D(8), "competency": "problem_solving"},
    {"code": "on_time_delivery", "name": "需求按期交付率", "name_en": "On-time delivery",
     "formula": "按承诺日期交付的需求数 ÷ 承诺交付的需求数 × 100% / Items delivered by the committed date ÷ "
                "items committed × 100%",
     "unit": "%", "direction": "increase", "floor_value": D(60), "threshold_value": D(85), "target_value": D(95),
     "competency": "execution"},
    {"code": "production_incidents", "name": "线上严重故障数", "name_en": "Severe production incidents",
     "formula": "本期由本人负责模块引起的 P1/P2 故障数 / P1/P2 incidents caused by the person's components",
     "unit": "次 / incidents", "direction": "decrease", "floor_value": D(5), "threshold_value": D(2),
     "target_value": D(0), "competency": "attention_to_detail"},
    {"code": "code_review_turnaround", "name": "代码评审响应时长", "name_en": "Code review turnaround",
     "formula": "从评审请求到首次评审意见的中位小时数 / Median hours from review request to first review",
     "unit": "小时 / hours", "direction": "decrease", "floor_value": D(48), "threshold_value": D(24),
     "target_value": D(4), "competency": "teamwork"},
)


@transaction.atomic
def kpi_library_seed() -> int:
    """Add the default KPIs that are missing; returns how many were added (0 when run again)."""
    existing = set(Kpi.objects.filter(code__in=[k["code"] for k in DEFAULT_KPIS]).values_list("code", flat=True))
    competencies = {c.code: c for c in Competency.objects.filter(code__in={k["competency"] for k in DEFAULT_KPIS})}
    new = [
        Kpi(**{**values, "competency": competencies.get(values["competency"])})
        for values in DEFAULT_KPIS if values["code"] not in existing
    ]
    Kpi.objects.bulk_create(new)
    return len(new)
