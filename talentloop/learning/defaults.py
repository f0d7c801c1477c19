"""The starter course catalogue TalentLoop ships: courses covering every competency of the shipped library, at
the three levels, in Chinese with the English title in brackets. `course_catalogue_seed()` adds the ones
missing (matched by title) and links them to the competencies that exist; it never changes a course HR has
edited. The demo calls it; an installation loads it with `talentloop shell -c "from talentloop.learning.defaults
import course_catalogue_seed; course_catalogue_seed()"` (docs/insights.md). Running it twice adds nothing."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction

from talentloop.org.models import Competency

from .models import Course

# title, provider, format, hours, level, competency codes, description
CATALOGUE: list[dict[str, Any]] = [
    {"title": "高效沟通与反馈 (Effective Communication and Feedback)", "provider": "TalentLoop Academy",
     "format": "online", "hours": "6", "level": "beginner",
     "competencies": ["communication", "written_communication"],
     "description": "倾听、结构化表达与建设性反馈的基础。Listening, structured speaking and constructive feedback."},
    {"title": "商务写作进阶 (Business Writing in Practice)", "provider": "TalentLoop Academy",
     "format": "online", "hours": "8", "level": "intermediate", "competencies": ["written_communication"],
     "description": "邮件、报告与方案的写作训练。Emails, reports and proposals that get read."},
    {"title": "以客户为中心的服务 (Customer-Centred Service)", "provider": "TalentLoop Academy",
     "format": "blended", "hours": "8", "level": "beginner",
     "competencies": ["customer_orientation", "communication"],
     "description": "识别客户需求、处理投诉、跟进满意度。Needs, complaints and follow-up."},
    {"title": "职业操守与合规 (Integrity and Compliance at Work)", "provider": "TalentLoop Academy",
     "format": "online", "hours": "3", "level": "beginner", "competencies": ["integrity"],
     "description": "利益冲突、信息安全与诚信案例。Conflicts of interest, information security, case studies."},
    {"title": "目标管理与高效执行 (Goals and Execution)", "provider": "TalentLoop Academy",
     "format": "classroom", "hours": "12", "level": "intermediate",
     "competencies": ["execution", "results_orientation", "ownership", "planning_organizing"],
     "description": "OKR拆解、优先级与复盘。Breaking down OKRs, priorities, retrospectives."},
    {"title": "成长型思维与快速学习 (Growth Mindset and Learning Fast)", "provider": "TalentLoop Academy",
     "format": "online", "hours": "4", "level": "beginner",
     "competencies": ["learning_agility", "adaptability"],
     "description": "学习方法、拥抱变化。How to learn quickly and adapt to change."},
    {"title": "压力管理与情绪韧性 (Managing Pressure and Resilience)", "provider": "TalentLoop Academy",
     "format": "blended", "hours": "6", "level": "intermediate", "competencies": ["stress_resistance", "adaptability"],
     "description": "压力来源识别与应对策略。Recognising pressure and ways to handle it."},
    {"title": "高绩效团队协作 (Collaboration in High-Performing Teams)", "provider": "TalentLoop Academy",
     "format": "classroom", "hours": "8", "level": "intermediate", "competencies": ["teamwork", "conflict_management"],
     "description": "角色分工、跨部门协作与冲突化解。Roles, cross-team work and resolving conflict."},
    {"title": "影响力与商务谈判 (Influence and Negotiation)", "provider": "TalentLoop Academy",
     "format": "classroom", "hours": "14", "level": "advanced",
     "competencies": ["influence_negotiation", "sales_acumen"],
     "description": "利益分析、让步策略与双赢谈判。Interests, concessions and win-win deals."},
    {"title": "新任管理者领导力 (Leadership for New Managers)", "provider": "TalentLoop Academy",
     "format": "blended", "hours": "16", "level": "intermediate",
     "competencies": ["leadership", "coaching_developing_others", "decision_making"],
     "description": "带团队、授权、辅导与决策。Leading a team, delegating, coaching, deciding."},
    {"title": "战略思维与商业洞察 (Strategic Thinking and Business Insight)", "provider": "TalentLoop Academy",
     "format": "classroom", "hours": "12", "level": "advanced",
     "competencies": ["strategic_thinking", "business_acumen", "decision_making"],
     "description": "行业分析、商业模式与战略选择。Industry analysis, business models, strategic choices."},
    {"title": "结构化问题解决 (Structured Problem Solving)", "provider": "TalentLoop Academy",
     "format": "online", "hours": "6", "level": "beginner",
     "competencies": ["problem_solving", "attention_to_detail"],
     "description": "定义问题、根因分析与方案评估。Defining problems, root causes, weighing options."},
    {"title": "数据分析入门：Excel与可视化 (Data Analysis Basics: Excel and Charts)",
     "provider": "TalentLoop Academy", "format": "online", "hours": "10", "level": "beginner",
     "competencies": ["data_analysis"], "description": "数据整理、透视表与图表。Cleaning data, pivot tables, charts."},
    {"title": "数据分析实战：SQL与统计 (Data Analysis in Practice: SQL and Statistics)",
     "provider": "TalentLoop Academy", "format": "online", "hours": "16", "level": "intermediate",
     "competencies": ["data_analysis", "problem_solving"],
     "description": "SQL查询、描述统计与A/B测试。SQL queries, descriptive statistics, A/B tests."},
    {"title": "创新方法与设计思维 (Innovation and Design Thinking)", "provider": "TalentLoop Academy",
     "format": "classroom", "hours": "8", "level": "intermediate", "competencies": ["innovation", "problem_solving"],
     "description": "用户洞察、创意发散与快速原型。User insight, ideation, rapid prototypes."},
    {"title": "项目管理实务 (Project Management in Practice)", "provider": "TalentLoop Academy",
     "format": "blended", "hours": "20", "level": "intermediate",
     "competencies": ["project_management", "planning_organizing"],
     "description": "范围、进度、风险与干系人管理。Scope, schedule, risk and stakeholders."},
    {"title": "专业技术进阶工作坊 (Technical Expertise Workshop)", "provider": "TalentLoop Academy",
     "format": "on_the_job", "hours": "24", "level": "advanced", "competencies": ["technical_expertise"],
     "description": "导师带教的岗位技术实践。Mentored practice of the job's technical skills."},
    {"title": "顾问式销售 (Consultative Selling)", "provider": "TalentLoop Academy",
     "format": "classroom", "hours": "12", "level": "intermediate",
     "competencies": ["sales_acumen", "customer_orientation", "business_acumen"],
     "description": "需求挖掘、方案呈现与成交。Discovering needs, presenting solutions, closing."},
]


@transaction.atomic
def course_catalogue_seed() -> int:
    """Add the shipped courses that are missing (by title). Returns how many were created."""
    existing = set(Course.objects.values_list("title", flat=True))
    by_code = {c.code: c for c in Competency.objects.filter(code__in={x for item in CATALOGUE
                                                                     for x in item["competencies"]})}
    created = 0
    for item in CATALOGUE:
        if item["title"] in existing:
            continue
        course = Course.objects.create(
            title=item["title"], provider=item["provider"], format=item["format"], hours=Decimal(item["hours"]),
            level=item["level"], description=item["description"],
        )
        course.competencies.set([by_code[code] for code in item["competencies"] if code in by_code])
        created += 1
    return created
