"""parse_resume: exact facts from the sample resumes in every format, the pieces one by one, and that no
text whatsoever makes it raise."""

from __future__ import annotations

import datetime as dt
import json
import logging
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from talentloop.assessment.resume import ParsedResume, extract_text, parse_resume
from talentloop.assessment.resume.history import degree_of
from talentloop.assessment.tests import resume_samples as samples

TODAY = dt.date(2025, 6, 30)


def _edu(degree: str | None, school: str | None, major: str | None, start: int | None, end: int | None
         ) -> dict[str, Any]:
    return {"degree": degree, "school": school, "major": major, "start_year": start, "end_year": end}


def _job(employer: str | None, title: str | None, start: str | None, end: str | None) -> dict[str, Any]:
    return {"employer": employer, "title": title, "start": start, "end": end}


def _lang(name: str, level: str | None) -> dict[str, Any]:
    return {"name": name, "level": level}


EXPECTED: dict[str, dict[str, Any]] = {
    "zhang_wei": {
        "name": "张伟", "emails": ["zhangwei@example.com"], "phones": ["13812345678"], "location": "上海",
        "education": [_edu("bachelor", "浙江大学", "计算机科学与技术", 2011, 2015),
                      _edu("master", "复旦大学", "软件工程", 2015, 2018)],
        "highest_degree": "master",
        # NFKC turns the full-width （中国） into ASCII parentheses.
        "work_history": [_job("阿里巴巴(中国)有限公司", "高级Java工程师", "2018-07", "present"),
                         _job("杭州网易科技有限公司", "Java开发实习生", "2015-07", "2016-06")],
        # 2018-07..2025-06: 83 months; 2015-07..2016-06: 11 months; 94 / 12 = 7.83
        "total_years_experience": 7.8,
        "skills": ["Java", "Spring Boot", "MySQL", "Redis", "Kafka", "Microservices", "JUnit", "JavaScript", "Python",
                   "Machine Learning", "Docker", "Kubernetes", "Linux", "Alibaba Cloud"],
        "languages": [_lang("English", "CET-6"), _lang("Mandarin", "native")],
        "certificates": ["PMP", "阿里云ACP认证"],
    },
    "li_na": {
        "name": "李娜", "emails": ["lina.hr@example.cn"], "phones": ["13987654321"], "location": "北京",
        "education": [_edu("bachelor", "北京师范大学", "人力资源管理", 2012, 2016)],
        "highest_degree": "bachelor",
        "work_history": [_job("北京字节跳动科技有限公司", "招聘主管", "2019-03", "present"),
                         _job("北京京东世纪贸易有限公司", "人力资源专员", "2016-07", "2019-02")],
        "total_years_experience": 8.8,  # 75 + 31 = 106 months
        "skills": ["Recruitment", "Onboarding", "Social Insurance", "Labor Law", "Beisen", "DingTalk", "WeCom",
                   "Excel", "Pivot Tables", "Interviewing", "Compensation & Benefits"],
        "languages": [_lang("English", "CET-4; good"), _lang("Mandarin", "一级乙等")],
        "certificates": ["人力资源管理师 (二级)"],
    },
    "wang_fang": {
        "name": "王芳", "emails": ["wangfang1992@163.com"], "phones": ["18600001234"], "location": "深圳",
        "education": [_edu("associate", "深圳职业技术学院", "会计", 2010, 2013),
                      _edu("bachelor", "中山大学", "会计学", 2016, 2018)],
        "highest_degree": "bachelor",  # higher than the "最高学历：大专" it states
        "work_history": [_job("深圳市华强电子有限公司", "出纳", "2013-07", "2016-12"),
                         _job("平安银行深圳分行", "会计", "2016-10", "2020-05"),
                         _job("深圳市腾达科技有限公司", "财务主管", "2020-06", "present")],
        # The first two jobs overlap by two months: 2013-07..2020-05 is 82 months, then 60: 142 / 12 = 11.83
        "total_years_experience": 11.8,
        "skills": ["Accounting", "Accounts Payable/Receivable", "Financial Reporting", "Kingdee", "Yonyou", "Auditing",
                   "Taxation", "Excel", "WPS", "Attention to Detail", "Responsibility"],
        "languages": [],
        "certificates": ["中级会计职称", "会计从业资格证", "驾驶证 C1"],
    },
    "emily_chen": {
        "name": "Emily Chen", "emails": ["emily.chen@example.com"], "phones": ["13912345678"], "location": "上海",
        "education": [_edu("master", "University of Edinburgh", "Statistics", 2016, 2017),
                      _edu("bachelor", "Fudan University", "Mathematics", 2012, 2016)],
        "highest_degree": "master",
        "work_history": [_job("Ctrip Group", "Senior Data Scientist", "2021-03", "present"),
                         _job("Shanghai Pudong Development Bank", "Data Analyst", "2017-07", "2021-02")],
        "total_years_experience": 7.8,  # 51 + 43 = 94 months
        "skills": ["Machine Learning", "Natural Language Processing", "A/B Testing", "Python", "PyTorch", "Spark",
                   "Hive", "Tableau", "SQL", "Statistics", "R", "scikit-learn", "TensorFlow", "Excel", "AWS"],
        "languages": [_lang("English", "fluent; IELTS 7.5"), _lang("Mandarin", "native")],
        "certificates": ["AWS Certified Machine Learning - Specialty"],
    },
    "michael_brown": {
        "name": "MICHAEL BROWN", "emails": ["michael.brown@example.com"], "phones": ["+14155550100"],
        "location": "北京",
        "education": [_edu("master", "China Europe International Business School (CEIBS)", None, 2017, 2019),
                      _edu("bachelor", "Beijing Foreign Studies University", "English", 2010, 2014)],
        "highest_degree": "master",
        "work_history": [_job("Siemens Ltd.", "Regional Sales Manager", "2019-01", "present"),
                         _job("Haier Group", "Key Account Manager", "2014-06", "2018-12")],
        "total_years_experience": 10.9,  # 77 + 54 = 131 months
        "skills": ["Sales", "Key Account Management", "Channel Management", "Salesforce", "CRM", "Negotiation",
                   "PowerPoint"],
        "languages": [_lang("English", "native"), _lang("Mandarin", "business; HSK 5")],
        "certificates": [],
    },
    "daniel_wu": {
        "name": "Daniel Wu", "emails": ["daniel.wu@example.org"], "phones": ["13512345678"], "location": "深圳",
        "education": [_edu("bachelor", "Sun Yat-sen University", "Business Administration", 2011, 2015)],
        "highest_degree": "bachelor",
        "work_history": [_job("Tencent Holdings Ltd.", "Financial Analyst", "2018", "present"),
                         _job("PwC China", "Audit Associate", "2015", "2018")],
        "total_years_experience": 10.4,  # year-only dates count from January: 2015-01..2025-06 = 125 months
        "skills": ["Financial Analysis", "Budgeting", "Financial Modeling", "Power BI", "IFRS",
                   "PRC Accounting Standards", "SAP", "Excel", "VBA", "SQL", "Python", "Pandas"],
        "languages": [_lang("English", "fluent"), _lang("Cantonese", "native"), _lang("Mandarin", "fluent")],
        "certificates": ["CFA Level II (candidate)", "ACCA"],
    },
}


def _facts(parsed: ParsedResume) -> dict[str, Any]:
    data = parsed.to_dict()
    assert (data.pop("engine"), data.pop("engine_version")) == ("talentloop-resume-parser", "1.0")
    data.pop("terms")
    return data


def _file_bytes(resume: samples.SampleResume, kind: str) -> bytes:
    if kind == "pdf":
        return samples.pdf_bytes(resume)
    if kind == "docx":
        return samples.docx_bytes(resume)
    return resume.text().encode("gbk" if resume.language == "zh" else "utf-8")


@pytest.mark.parametrize("kind", ["txt", "pdf", "docx"])
@pytest.mark.parametrize("key", sorted(EXPECTED))
def test_each_sample_resume_gives_its_exact_facts_in_every_format(key: str, kind: str) -> None:
    resume = samples.SAMPLES[key]
    text = extract_text(_file_bytes(resume, kind), f"cv.{kind}").text
    assert _facts(parse_resume(text, today=TODAY)) == EXPECTED[key]


def test_the_result_round_trips_through_json() -> None:
    parsed = parse_resume(samples.ZHANG_WEI.text(), today=TODAY)
    assert ParsedResume.from_dict(json.loads(json.dumps(parsed.to_dict()))) == parsed
    assert parsed.terms["java"] == 4  # 高级Java开发工程师, 高级Java工程师, Java开发实习生, 熟悉 Java
    assert parsed.terms["机器"] == 1


def test_from_dict_takes_defaults_for_missing_or_wrong_values() -> None:
    parsed = ParsedResume.from_dict({
        "name": 3, "emails": "a@b.c", "education": [{"degree": "wizard", "start_year": "2010"}, "x"],
        "total_years_experience": 1e9, "skills": ["Python", 7], "terms": {"python": 2, "bad": "x"},
        "languages": [{"level": "fluent"}, {"name": "English"}],
    })
    assert parsed == ParsedResume(
        education=(ParsedResume.from_dict({"education": [{}]}).education[0],), total_years_experience=60.0,
        skills=("Python",), terms={"python": 2}, languages=(parse_resume("语言\n英语").languages[0],),
    )


def test_present_means_the_given_day_and_defaults_to_today() -> None:
    text = "工作经历\n2020.01 - 至今 某某科技有限公司 工程师"
    assert parse_resume(text, today=dt.date(2021, 7, 15)).total_years_experience == 1.5
    assert parse_resume(text) == parse_resume(text, today=dt.date.today())


# ------------------------------------------------------------------------------------------ dates


@pytest.mark.parametrize(
    ("dates", "start", "end"),
    [
        ("2018.07 - 2021.03", "2018-07", "2021-03"),
        ("2018年7月-至今", "2018-07", "present"),
        ("2018年07月 至 2021年03月", "2018-07", "2021-03"),
        ("Jul 2018 – Present", "2018-07", "present"),
        ("September 2019 to June 2021", "2019-09", "2021-06"),
        ("Sept. 2019 - Now", "2019-09", "present"),
        ("2018-2021", "2018", "2021"),
        ("2018/07-2021/03", "2018-07", "2021-03"),
        ("07/2018 - 03/2021", "2018-07", "2021-03"),
        ("2019.9~2020.12", "2019-09", "2020-12"),
        ("2016.07—2019.02", "2016-07", "2019-02"),
    ],
)
def test_date_ranges_in_the_forms_resumes_use(dates: str, start: str, end: str) -> None:
    parsed = parse_resume(f"工作经历\n{dates} 上海某某科技有限公司 工程师", today=TODAY)
    assert [(job.start, job.end) for job in parsed.work_history] == [(start, end)]
    assert parsed.work_history[0].employer == "上海某某科技有限公司"


def test_overlapping_and_contained_jobs_count_once() -> None:
    text = ("Experience\nAcme Corp, Engineer, Jan 2010 - Dec 2015\nBeta Inc, Consultant, Jun 2012 - Jun 2013\n"
            "Gamma Ltd, Manager, Jan 2015 - Jan 2017")
    assert parse_resume(text, today=TODAY).total_years_experience == 7.0  # 2010-01..2017-01


def test_ranges_after_today_and_reversed_ranges_add_nothing() -> None:
    text = "工作经历\n2026.01-2027.01 未来科技有限公司 工程师\n2020.05-2019.01 倒序科技有限公司 工程师"
    assert parse_resume(text, today=TODAY).total_years_experience == 0.0


def test_years_of_experience_are_capped_at_sixty() -> None:
    assert parse_resume("工作经历\n1950.01 - 至今 某某有限公司 工程师", today=TODAY).total_years_experience == 60.0


@pytest.mark.parametrize(
    ("text", "years"),
    [("求职意向：销售经理，5年以上工作经验", 5.0), ("Sales leader with 8+ years of B2B experience.", 8.0),
     ("工作年限：3.5年", 3.5), ("应届毕业生", 0.0)],
)
def test_stated_years_count_only_without_dated_jobs(text: str, years: float) -> None:
    assert parse_resume(text, today=TODAY).total_years_experience == years


def test_an_english_layout_with_employer_and_title_above_the_dates() -> None:
    text = ("Experience\nAcme Corp\nSoftware Engineer\nMar 2019 - Present\n- Built the billing service.\n"
            "Beta Technologies\nIntern\nJun 2018 - Aug 2018")
    assert [(j.employer, j.title) for j in parse_resume(text, today=TODAY).work_history] == [
        ("Acme Corp", "Software Engineer"), ("Beta Technologies", "Intern"),
    ]


def test_a_title_starting_with_lead_is_not_mistaken_for_a_duty() -> None:
    text = "Experience\nLead Engineer\nAcme Corp\n2019 - 2021\n- Led a team of five."
    assert parse_resume(text, today=TODAY).work_history[0].title == "Lead Engineer"


def test_a_chinese_layout_with_employer_and_title_below_the_dates() -> None:
    text = ("工作经历\n2019.03 - 至今\n华为技术有限公司 | 高级测试工程师\n负责自动化测试平台建设。\n"
            "2016.07 - 2019.02\n中兴通讯股份有限公司 | 测试工程师")
    assert [(j.employer, j.title, j.start) for j in parse_resume(text, today=TODAY).work_history] == [
        ("华为技术有限公司", "高级测试工程师", "2019-03"), ("中兴通讯股份有限公司", "测试工程师", "2016-07"),
    ]


def test_labelled_work_fields() -> None:
    text = "工作经历\n公司：上海某某网络有限公司 职位：运营经理 时间：2017.03-2020.08"
    assert parse_resume(text, today=TODAY).work_history[0] == parse_resume(
        "工作经历\n2017.03-2020.08 | 上海某某网络有限公司 | 运营经理", today=TODAY
    ).work_history[0]


# ------------------------------------------------------------------------------------------ contacts


@pytest.mark.parametrize(
    ("line", "phones"),
    [
        ("手机：13812345678", ("13812345678",)),
        ("Mobile: +86 138 1234 5678", ("13812345678",)),
        ("电话：0086-138-1234-5678", ("13812345678",)),
        ("(+86)13812345678 / 15987654321", ("13812345678", "15987654321")),
        ("Phone: +1 (415) 555-0100", ("+14155550100",)),
        ("Tel +44 20 7946 0958", ("+442079460958",)),
        ("Phone: (021) 5555-1234", ("02155551234",)),
        ("QQ：13812345678", ()),
        ("身份证：110101199003071234", ()),
        ("订单号 1138123456789 与 12812345678", ()),
    ],
)
def test_phone_numbers(line: str, phones: tuple[str, ...]) -> None:
    assert parse_resume(line).phones == phones


def test_emails_are_lower_cased_and_listed_once() -> None:
    assert parse_resume("Email: Wei.Zhang@Example.COM; wei.zhang@example.com, backup: wz@qq.com.").emails == (
        "wei.zhang@example.com", "wz@qq.com",
    )


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("姓名：张伟    性别：男\n电话：13812345678", "张伟"),
        ("个人简历\n欧阳娜娜 | 女 | 26岁", "欧阳娜娜"),
        ("李明的简历\n电话：13812345678", "李明"),
        ("买买提·艾力\n新疆大学", "买买提·艾力"),
        ("Name: John A. Smith  Email: john@example.com", "John A. Smith"),
        ("Resume of Mary-Jane O'Neil\nContact", "Mary-Jane O'Neil"),
        ("Software Engineer\nPython, Go", None),
        ("个人简历\n求职意向：会计", None),
        ("上海\n本科", None),
    ],
)
def test_names(text: str, name: str | None) -> None:
    assert parse_resume(text).name == name


@pytest.mark.parametrize(
    ("text", "location"),
    [
        ("现居：上海市浦东新区", "上海"),
        ("Location: Hangzhou, Zhejiang", "杭州"),
        ("籍贯：湖南长沙 | 现居住地：杭州", "杭州"),
        ("期望城市：上海\n所在城市：苏州", "苏州"),
        ("Based in Singapore", "Singapore"),
        ("Email Address: amy@example.com", None),
        ("Amy Lee\nXi'an, China | amy@example.com", "西安"),
        ("张伟\n北京大学 | 本科", None),
    ],
)
def test_locations(text: str, location: str | None) -> None:
    assert parse_resume(text).location == location


# ------------------------------------------------------------------------------------------ education


@pytest.mark.parametrize(
    ("text", "degree"),
    [("博士研究生", "doctorate"), ("PhD in Physics", "doctorate"), ("Ph.D.", "doctorate"), ("硕士", "master"),
     ("研究生", "master"), ("MBA", "master"), ("MSc Finance", "master"), ("M.S. in Computer Science", "master"),
     ("Master of Arts", "master"), ("本科", "bachelor"), ("学士学位", "bachelor"), ("专升本", "bachelor"),
     ("BSc Computer Science", "bachelor"), ("B.A.", "bachelor"), ("Bachelor's degree", "bachelor"),
     ("大专", "associate"), ("专科", "associate"), ("Associate of Arts", "associate"), ("高中", "high_school"),
     ("中专", "high_school"), ("High School Diploma", "high_school"), ("MS Office", None), ("BAT大厂", None),
     ("Scrum", None)],
)
def test_degree_words(text: str, degree: str | None) -> None:
    assert degree_of(text) == degree


def test_education_without_a_header_needs_a_school() -> None:
    parsed = parse_resume("王磊\n2015-2019 武汉大学 法学 本科\n熟悉 Excel")
    assert parsed.education == parse_resume("教育背景\n2015-2019 武汉大学 法学 本科").education
    assert (parsed.highest_degree, parsed.education[0].major) == ("bachelor", "法学")


def test_a_stated_degree_counts_without_an_education_section() -> None:
    assert parse_resume("学历：硕士\n工作经历\n2019-2021 某某有限公司 分析师").highest_degree == "master"


def test_course_lists_are_not_schools() -> None:
    text = "Education\nB.Sc. in Economics, Peking University, 2014 – 2018\nCoursework: Econometrics, Statistics"
    assert [e.school for e in parse_resume(text).education] == ["Peking University"]


# ------------------------------------------------------------------------------------------ languages


@pytest.mark.parametrize(
    ("text", "languages"),
    [
        ("英语六级，雅思7分", [("English", "CET-6; IELTS 7.0")]),
        ("证书：CET-4、CET-6", [("English", "CET-6")]),
        ("日语N2；TOEFL 105", [("Japanese", "JLPT N2"), ("English", "TOEFL 105")]),
        ("专业八级（TEM-8）", [("English", "TEM-8")]),
        ("Languages\nFrench, German (basic)", [("French", None), ("German", "basic")]),
        ("Worked with clients in fluent English.", [("English", "fluent")]),
        ("English-speaking clients", []),
        ("汉语言文学专业", []),
    ],
)
def test_languages(text: str, languages: list[tuple[str, str | None]]) -> None:
    assert [(lang.name, lang.level) for lang in parse_resume(text).languages] == languages


@pytest.mark.parametrize(
    ("text", "certificates"),
    [
        ("持有PMP证书，注册会计师（CPA）", ("PMP", "CPA")),
        ("CFA三级", ("CFA Level III",)),
        ("二级人力资源管理师；初级会计师", ("人力资源管理师 (二级)", "初级会计职称")),
        ("AWS Certified Solutions Architect – Associate", ("AWS Certified Solutions Architect - Associate",)),
        ("Six Sigma Green Belt, CCNA", ("Six Sigma Green Belt", "CCNA")),
        ("驾照：C1", ("驾驶证 C1",)),
        ("资格证书\n2019.06 计算机二级\n普通话二级甲等", ("计算机二级",)),
        ("Helped the CPAs with invoices.", ()),
    ],
)
def test_certificates(text: str, certificates: tuple[str, ...]) -> None:
    assert parse_resume(text).certificates == certificates


# ------------------------------------------------------------------------------------------ robustness

_RESUME_PIECES = [line for resume in samples.SAMPLES.values() for line in resume.lines()] + [
    "2018.07 - ", "至今", "Jan 2019 –", "| | |", "：", "姓名：", "+86", "@", "（", "）", "1" * 40, "\t\t", "·",
    "教育背景 EDUCATION", "2099.12-1950.01", "CFA", "IELTS", "个人简历", "Python/R", "C/C++",
]


class _ErrorCounter(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


def _check_never_raises(text: str) -> None:
    counter = _ErrorCounter()
    engine_logger = logging.getLogger("talentloop.assessment")
    engine_logger.addHandler(counter)
    try:
        parsed = parse_resume(text, today=TODAY)
    finally:
        engine_logger.removeHandler(counter)
    assert counter.count == 0  # no extractor had to be rescued
    assert isinstance(parsed, ParsedResume)
    assert 0.0 <= parsed.total_years_experience <= 60.0
    assert json.loads(json.dumps(parsed.to_dict())) == parsed.to_dict()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=400))
def test_any_text_parses_without_raising(text: str) -> None:
    _check_never_raises(text)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(st.sampled_from(_RESUME_PIECES), st.text(max_size=30)), max_size=40),
       st.sampled_from(["\n", " ", "\t", " | ", "\r\n", ""]))
def test_any_mix_of_resume_pieces_parses_without_raising(pieces: list[str], joiner: str) -> None:
    _check_never_raises(joiner.join(pieces))


def test_a_failing_extractor_leaves_its_field_empty(monkeypatch: pytest.MonkeyPatch,
                                                     caplog: pytest.LogCaptureFixture) -> None:
    from talentloop.assessment.resume import extract

    def broken(text: str) -> tuple[str, ...]:
        raise RuntimeError("boom")

    monkeypatch.setattr(extract, "_emails", broken)
    with caplog.at_level(logging.ERROR, logger="talentloop.assessment.resume.extract"):
        parsed = parse_resume(samples.ZHANG_WEI.text(), today=TODAY)
    assert (parsed.emails, parsed.name) == ((), "张伟")
    assert [r.getMessage() for r in caplog.records] == ["resume extractor failed"]


def test_only_the_first_characters_are_read() -> None:
    padding = "x" * 100_000
    assert parse_resume(padding + "\n张伟 zhangwei@example.com").emails == ()


_TRIGGER_EXAMPLES = [
    *(resume.text() for resume in samples.SAMPLES.values()),
    "英语六级，雅思7分；日语N2；TOEFL 105；专业八级（TEM-8）；TOPIK 5；HSK 6；DELF B2；BEC Higher；TOEIC 900",
    "普通话二级甲等，粤语流利，韩语一般，法语入门，德语良好，Spanish (basic), Russian, Italian, Arabic, Thai",
    "持有PMP、PMI-ACP、CPA、US CPA、CFA二级、ACCA、CMA、FRM、CFP、CIA、CISA、CISSP、CISM、CCNA、CCNP、CCIE",
    "RHCE, RHCSA",
    "OCP, CKA, ITIL, PRINCE2, Certified ScrumMaster, SHRM-SCP, SPHR, CIPD, Oracle Certified Professional",
    "AWS Certified Developer – Associate; Microsoft Certified: Azure Administrator Associate; "
    "Google Cloud Certified Professional Data Engineer",
    "二级企业人力资源管理师；中级会计师；高级会计职称；会计从业资格；注册税务师；中级经济师；教师资格证；司法考试；证券从业；"
    "基金从业资格；银行从业；期货从业；一级建造师；造价工程师；心理咨询师（三级）；信息系统项目管理师；系统架构设计师；"
    "系统集成项目管理工程师；六西格玛黑带；驾驶证：B2",
]


@pytest.mark.parametrize("text", _TRIGGER_EXAMPLES)
def test_the_cheap_trigger_checks_never_change_a_result(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    import re

    from talentloop.assessment.resume import extract

    with_triggers = parse_resume(text, today=TODAY)
    monkeypatch.setattr(extract, "_LANGUAGE_TRIGGERS", re.compile(""))  # matches every line
    every_text = ("",)  # "" occurs in every string
    monkeypatch.setattr(extract, "_CERTIFICATES", tuple((every_text, *entry[1:]) for entry in extract._CERTIFICATES))
    assert parse_resume(text, today=TODAY) == with_triggers
    assert with_triggers.languages or with_triggers.certificates
