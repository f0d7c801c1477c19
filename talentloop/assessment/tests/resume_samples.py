"""Make real resume files for tests and benchmarks: PDF (reportlab), DOCX (python-docx), text in several
encodings, and the broken or hostile files people upload (encrypted, truncated, scanned, zip bombs...).

Each resume is a list of blocks, a paragraph (str) or a table (list of rows); text and PDF render a table
row as its cells joined by " | ", DOCX as a real table. The same resume therefore exists in every format,
and the tests can check that the parser reads the same facts from each.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

Block = str | list[list[str]]


@dataclass(frozen=True)
class SampleResume:
    key: str
    language: str  # "zh" or "en"
    blocks: tuple[Block, ...]

    def lines(self) -> list[str]:
        lines: list[str] = []
        for block in self.blocks:
            if isinstance(block, str):
                lines.append(block)
            else:
                lines.extend(" | ".join(cell for cell in row if cell) for row in block)
        return lines

    def text(self) -> str:
        return "\n".join(self.lines()) + "\n"


ZHANG_WEI = SampleResume("zhang_wei", "zh", (
    "张伟",
    "电话：138-1234-5678 | 邮箱：zhangwei@example.com",
    "现居：上海 | 求职意向：高级Java开发工程师",
    "教育背景",
    "2011.09 - 2015.06 | 浙江大学 | 计算机科学与技术 | 本科",
    "2015.09 - 2018.06 | 复旦大学 | 软件工程 | 硕士",
    "工作经历",
    "2018.07 - 至今 | 阿里巴巴（中国）有限公司 | 高级Java工程师",
    "负责电商交易系统的设计与开发，使用Spring Boot、MySQL、Redis和Kafka。",
    "主导订单服务的微服务改造，系统吞吐量提升3倍。",
    "2015.07 - 2016.06 | 杭州网易科技有限公司 | Java开发实习生",
    "参与邮箱后台开发，编写JUnit单元测试。",
    "专业技能",
    "熟悉 Java、JS、Python，了解机器学习基础；熟悉 Docker、K8s 与 Linux。",
    "语言能力",
    "英语：CET-6，可作为工作语言；普通话：母语",
    "证书",
    "PMP（2020）、阿里云ACP认证",
))

LI_NA = SampleResume("li_na", "zh", (
    "个人简历",
    [["姓名", "李娜", "性别", "女"],
     ["电话", "+86 139 8765 4321", "邮箱", "lina.hr@example.cn"],
     ["现居", "北京市朝阳区", "学历", "本科"]],
    "教育背景",
    "2012.09-2016.06  北京师范大学  人力资源管理  本科",
    "工作经历",
    [["时间", "公司", "职位"],
     ["2019.03-至今", "北京字节跳动科技有限公司", "招聘主管"],
     ["2016.07-2019.02", "北京京东世纪贸易有限公司", "人力资源专员"]],
    "负责技术岗位社会招聘，年均招聘80人；搭建校园招聘流程。",
    "负责员工入职、劳动合同管理与社保公积金办理，熟悉劳动法。",
    "专业技能",
    "熟练使用北森、钉钉、企业微信与Excel（数据透视表、VLOOKUP）；擅长结构化面试与薪酬福利核算。",
    "证书",
    "企业人力资源管理师（二级）、英语四级",
    "语言",
    "普通话（一级乙等），英语（良好）",
))

WANG_FANG = SampleResume("wang_fang", "zh", (
    "王芳 | 女 | 1992年出生",
    "手机：(+86) 186-0000-1234    邮箱：wangfang1992@163.com",
    "现居住地：广东省深圳市南山区",
    "最高学历：大专",
    "教育经历",
    "2010.09-2013.06 深圳职业技术学院 会计 大专",
    "2016.03-2018.07 中山大学 会计学 本科（自考）",
    "工作经验",
    "2013年7月-2016年12月 深圳市华强电子有限公司 出纳",
    "2016年10月-2020年5月 平安银行深圳分行 会计",
    "2020年6月-至今 深圳市腾达科技有限公司 财务主管",
    "- 负责总账、应收应付与月度财务报表；使用金蝶K3和用友U8完成账务处理。",
    "- 主导年度审计配合与税务申报。",
    "证书",
    "中级会计职称；会计从业资格证；C1驾驶证",
    "自我评价",
    "熟练使用Excel和WPS，细心、责任心强。",
))

EMILY_CHEN = SampleResume("emily_chen", "en", (
    "Emily Chen",
    "Data Scientist",
    "Shanghai, China | +86 139 1234 5678 | emily.chen@example.com",
    "SUMMARY",
    "Data scientist with 6 years of experience in machine learning, NLP and A/B testing.",
    "EXPERIENCE",
    "Senior Data Scientist, Ctrip Group    Mar 2021 – Present",
    "- Built recommendation models in Python and PyTorch serving 20M users.",
    "- Led A/B tests and experimentation platform design with Spark and Hive.",
    "Data Analyst",
    "Shanghai Pudong Development Bank",
    "Jul 2017 – Feb 2021",
    "- Developed credit risk dashboards in Tableau; automated SQL reporting.",
    "EDUCATION",
    "Master of Science in Statistics, University of Edinburgh, 2016 – 2017",
    "Bachelor of Science, Mathematics",
    "Fudan University",
    "2012 – 2016",
    "SKILLS",
    "Python, R language, SQL, scikit-learn, TensorFlow, Tableau, Excel",
    "LANGUAGES",
    "English (fluent), Mandarin (native), IELTS 7.5",
    "CERTIFICATIONS",
    "AWS Certified Machine Learning – Specialty",
))

MICHAEL_BROWN = SampleResume("michael_brown", "en", (
    "MICHAEL BROWN",
    "Sales Manager | Beijing | michael.brown@example.com | +1 415 555 0100",
    "Professional Summary",
    "Results-driven B2B sales leader with a track record in key account management and channel sales across China.",
    "Work Experience",
    [["Period", "Company", "Title"],
     ["Jan 2019 – Present", "Siemens Ltd., China", "Regional Sales Manager"],
     ["Jun 2014 – Dec 2018", "Haier Group", "Key Account Manager"]],
    "Education",
    "MBA, China Europe International Business School (CEIBS), 2017 – 2019",
    "B.A. in English, Beijing Foreign Studies University, 2010 – 2014",
    "Skills",
    "Salesforce CRM, negotiation, key account management, PowerPoint, Mandarin and English",
    "Languages",
    "English: native; Mandarin: business (HSK 5)",
))

DANIEL_WU = SampleResume("daniel_wu", "en", (
    "Daniel Wu",
    "Location: Shenzhen | Email: daniel.wu@example.org | Mobile: 13512345678",
    "Objective: Financial analyst seeking FP&A roles.",
    "Education",
    "Bachelor of Business Administration (BBA), Sun Yat-sen University, 2011 – 2015",
    "Experience",
    "Financial Analyst — Tencent Holdings Ltd. (2018 – Present)",
    "FP&A, budgeting and financial modeling for the games business; built Power BI dashboards.",
    "Audit Associate at PwC China, 2015 – 2018",
    "Statutory audits under IFRS and PRC GAAP; used SAP and Excel VBA.",
    "Skills",
    "Financial analysis, Excel, Power BI, SQL, Python (pandas)",
    "Certifications",
    "CFA Level II candidate; ACCA",
    "Languages",
    "English – fluent; Cantonese – native; Mandarin – fluent",
))

SAMPLES: dict[str, SampleResume] = {
    r.key: r for r in (ZHANG_WEI, LI_NA, WANG_FANG, EMILY_CHEN, MICHAEL_BROWN, DANIEL_WU)
}


# ---------------------------------------------------------------------------------------------- writers


def write_text(folder: Path, resume: SampleResume, encoding: str = "utf-8", suffix: str = ".txt") -> Path:
    path = folder / f"{resume.key}-{encoding}{suffix}"
    path.write_bytes(resume.text().encode(encoding))
    return path


def pdf_bytes(resume: SampleResume) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    if resume.language == "zh":
        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
        font = "STSong-Light"
    else:
        font = "Helvetica"
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4, invariant=True)  # invariant: same bytes on every run
    page.setFont(font, 10)
    y = A4[1] - 50
    for line in resume.lines():
        if y < 50:
            page.showPage()
            page.setFont(font, 10)
            y = A4[1] - 50
        page.drawString(40, y, line)
        y -= 16
    page.showPage()
    page.save()
    return buffer.getvalue()


def write_pdf(folder: Path, resume: SampleResume) -> Path:
    path = folder / f"{resume.key}.pdf"
    path.write_bytes(pdf_bytes(resume))
    return path


def docx_bytes(resume: SampleResume) -> bytes:
    import docx

    document = docx.Document()
    for block in resume.blocks:
        if isinstance(block, str):
            document.add_paragraph(block)
        else:
            table = document.add_table(rows=len(block), cols=max(len(row) for row in block))
            for r, row in enumerate(block):
                for c, cell in enumerate(row):
                    table.cell(r, c).text = cell
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def write_docx(folder: Path, resume: SampleResume) -> Path:
    path = folder / f"{resume.key}.docx"
    path.write_bytes(docx_bytes(resume))
    return path


def write_long_pdf(folder: Path, pages: int = 25) -> Path:
    """A one-page resume followed by appendix pages holding one numbered line each."""
    path = folder / "long.pdf"
    path.write_bytes(_pdf_pages([EMILY_CHEN.lines(), *([f"Appendix page {n}"] for n in range(2, pages + 1))]))
    return path


def _pdf_pages(pages: list[list[str]]) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4, invariant=True)
    for lines in pages:
        page.setFont("Helvetica", 10)
        for index, line in enumerate(lines):
            page.drawString(40, A4[1] - 50 - 16 * index, line)
        page.showPage()
    page.save()
    return buffer.getvalue()


def write_encrypted_pdf(folder: Path) -> Path:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes(EMILY_CHEN))))
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")  # RC4: no extra package
    path = folder / "encrypted.pdf"
    with path.open("wb") as out:
        writer.write(out)
    return path


def write_owner_only_encrypted_pdf(folder: Path) -> Path:
    """Encrypted only to restrict permissions: opens with the empty user password, as viewers do."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes(EMILY_CHEN))))
    writer.encrypt(user_password="", owner_password="owner", algorithm="RC4-128")
    path = folder / "permissions-only.pdf"
    with path.open("wb") as out:
        writer.write(out)
    return path


def write_truncated_pdf(folder: Path) -> Path:
    data = pdf_bytes(EMILY_CHEN)
    path = folder / "truncated.pdf"
    path.write_bytes(data[: len(data) * 6 // 10])
    return path


def write_image_only_pdf(folder: Path) -> Path:
    """A 'scanned' resume: one page holding a picture and some shapes, no text objects."""
    from PIL import Image, ImageDraw
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    picture = Image.new("RGB", (400, 560), "white")
    draw = ImageDraw.Draw(picture)
    for y in range(40, 520, 24):  # grey bars where a scanner would have captured lines of text
        draw.rectangle((30, y, 30 + (y * 7) % 300 + 60, y + 10), fill=(90, 90, 90))
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4, invariant=True)
    page.drawImage(ImageReader(picture), 50, 150, width=400, height=560)
    page.rect(40, 140, 420, 580)
    page.showPage()
    page.save()
    path = folder / "scanned.pdf"
    path.write_bytes(buffer.getvalue())
    return path


def write_zip_bomb_docx(folder: Path, declared_mb: int = 200) -> Path:
    """A DOCX-shaped ZIP whose word/document.xml unpacks to `declared_mb` MB of zeros (about 0.2 MB on disk).
    Written in chunks so making it needs no more memory than the chunk."""
    path = folder / "bomb.docx"
    chunk = b"\0" * (1024 * 1024)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        with archive.open("word/document.xml", "w", force_zip64=True) as entry:
            for _ in range(declared_mb):
                entry.write(chunk)
    return path


def write_many_entries_docx(folder: Path, entries: int = 1_500) -> Path:
    path = folder / "many-parts.docx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("word/document.xml", "<w:document/>")
        for index in range(entries):
            archive.writestr(f"word/media/part{index}.xml", "<x/>")
    return path


def write_high_ratio_docx(folder: Path) -> Path:
    """Within the total-size limit (20 MB) but compressed about 1000 times: a bomb's signature."""
    path = folder / "high-ratio.docx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("word/document.xml", "<w:document/>")
        archive.writestr("word/media/padding.bin", b"\0" * (20 * 1024 * 1024))
    return path


def write_truncated_docx(folder: Path) -> Path:
    data = docx_bytes(MICHAEL_BROWN)
    path = folder / "truncated.docx"
    path.write_bytes(data[: len(data) // 2])
    return path


def write_xlsx(folder: Path) -> Path:
    path = folder / "resume.xlsx"  # a ZIP, but a workbook
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("xl/workbook.xml", "<workbook/>")
    return path


def write_png_as_docx(folder: Path) -> Path:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (32, 32), "navy").save(buffer, format="PNG")
    path = folder / "photo.docx"
    path.write_bytes(buffer.getvalue())
    return path


def write_empty(folder: Path) -> Path:
    path = folder / "empty.pdf"
    path.write_bytes(b"")
    return path


def write_large(folder: Path, megabytes: int = 12) -> Path:
    path = folder / "large.txt"
    line = "经验丰富的工程师 experienced engineer\n".encode()
    with path.open("wb") as out:
        out.write(line * (megabytes * 1024 * 1024 // len(line) + 1))
    return path


_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'
)
