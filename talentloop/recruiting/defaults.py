"""Emails and the offer letter TalentLoop ships; HR edits them afterwards. Loaded by migration 0002."""

from __future__ import annotations

from typing import Any

EMAIL_TEMPLATES: list[dict[str, str]] = [
    {"stage": "ai_interview", "language": "zh-hans", "subject": "{company}：{job} 职位 AI 面试邀请",
     "body": "{candidate}，您好：\n\n感谢您申请 {company} 的 {job} 职位。您已通过简历筛选，我们将通过单独的邮件发送 AI 面试链接。"
             "面试前您会看到分析内容和结果用途的说明，也可以随时申请由人工复核。\n\n{company} 招聘团队"},
    {"stage": "ai_interview", "language": "en", "subject": "{company}: AI interview for {job}",
     "body": "Dear {candidate},\n\nThank you for applying for {job} at {company}. Your resume passed screening; "
             "the link to your AI interview follows in a separate email. Before you start you will see what is "
             "analysed and how the result is used, and you can always ask for a human review instead.\n\n"
             "The {company} recruiting team"},
    {"stage": "written_test", "language": "zh-hans", "subject": "{company}：{job} 职位笔试通知",
     "body": "{candidate}，您好：\n\n您已进入 {job} 职位的笔试环节，笔试链接将另行发送，请在有效期内完成。\n\n{company} 招聘团队"},
    {"stage": "written_test", "language": "en", "subject": "{company}: written test for {job}",
     "body": "Dear {candidate},\n\nYou are invited to the written test for {job}. The link follows in a separate "
             "email; please complete it before it expires.\n\nThe {company} recruiting team"},
    {"stage": "interview", "language": "zh-hans", "subject": "{company}：{job} 职位面试邀请",
     "body": "{candidate}，您好：\n\n恭喜您进入 {job} 职位的面试环节，招聘专员会尽快与您确认面试时间。\n\n{company} 招聘团队"},
    {"stage": "interview", "language": "en", "subject": "{company}: interview for {job}",
     "body": "Dear {candidate},\n\nCongratulations: you are invited to interviews for {job}. A recruiter will "
             "contact you to arrange a time.\n\nThe {company} recruiting team"},
    {"stage": "background_check", "language": "zh-hans", "subject": "{company}：背景调查授权",
     "body": "{candidate}，您好：\n\n您已进入 {job} 职位的背景调查环节。调查开始前需要您的授权，授权链接将另行发送。\n\n{company} 招聘团队"},
    {"stage": "background_check", "language": "en", "subject": "{company}: background check consent",
     "body": "Dear {candidate},\n\nYour application for {job} has reached the background check. We need your "
             "consent before it starts; the consent link follows in a separate email.\n\nThe {company} recruiting team"},
    {"stage": "offer", "language": "zh-hans", "subject": "{company}：{job} 职位录用通知",
     "body": "{candidate}，您好：\n\n我们很高兴向您发出 {job} 职位的录用通知，详情及确认链接将另行发送。\n\n{company} 招聘团队"},
    {"stage": "offer", "language": "en", "subject": "{company}: your offer for {job}",
     "body": "Dear {candidate},\n\nWe are happy to offer you the position of {job}. The offer and the link to "
             "answer it follow in a separate email.\n\nThe {company} recruiting team"},
    {"stage": "rejected", "language": "zh-hans", "subject": "{company}：关于您申请的 {job} 职位",
     "body": "{candidate}，您好：\n\n感谢您对 {company} 的关注。经过慎重考虑，我们暂时无法为您提供 {job} 职位的机会。"
             "您的资料将保留在人才库中，如有合适机会我们会再与您联系。\n\n{company} 招聘团队"},
    {"stage": "rejected", "language": "en", "subject": "{company}: your application for {job}",
     "body": "Dear {candidate},\n\nThank you for your interest in {company}. After careful consideration we "
             "cannot offer you the position of {job} at this time. With your permission we keep your details "
             "for future openings.\n\nThe {company} recruiting team"},
]

OFFER_TEMPLATES: list[dict[str, Any]] = [
    {"language": "zh-hans", "body": "{candidate}，您好：\n\n{company} 很高兴聘请您担任 {title}（{level}）一职，"
     "月薪人民币 {salary} 元（税前），入职日期 {start_date}。\n\n请于 {respond_by} 前通过本页面接受或婉拒本录用通知。"
     "\n\n{company} 人力资源部"},
    {"language": "en", "body": "Dear {candidate},\n\n{company} is pleased to offer you the position of {title} "
     "({level}) with a monthly salary of CNY {salary} (before tax), starting on {start_date}.\n\nPlease accept "
     "or decline this offer on this page by {respond_by}.\n\n{company} Human Resources"},
]


def load_defaults(email_template_model: Any, offer_template_model: Any) -> None:
    """Create the shipped templates that do not exist yet (models passed in so a migration can use its own)."""
    for item in EMAIL_TEMPLATES:
        email_template_model.objects.get_or_create(
            stage=item["stage"], language=item["language"], defaults={"subject": item["subject"], "body": item["body"]}
        )
    for item in OFFER_TEMPLATES:
        offer_template_model.objects.get_or_create(language=item["language"], defaults={"body": item["body"]})
