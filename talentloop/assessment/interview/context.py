"""Job context for situational questions: product, customer type and team size from a job description.

`job_context(title=..., description=..., language=...)` looks for each item in the title and the
description (NFKC-normalised), trying patterns in a fixed order and taking the first hit:

- product: Chinese "负责/开发/运营/销售/推广/维护 (公司的)…产品/平台/系统/软件/应用/App/小程序/SaaS/服务/设备";
  English "our/the company's … platform/app/software/product/system/service/solution/tool/suite" or
  "sell/build/develop/support/maintain/promote (the/our) …" (stored with "our" in front, so it reads as a
  noun phrase in "upset that {product} is hard to use").
- customer type: Chinese "面向/服务/针对 … 客户/用户/企业/商家/机构/医院/学校/门店", then keywords (B2B → 企业,
  B2C → 个人, 政府, 大客户, 中小企业); English "serving/for/to … customers/clients/businesses/companies/…",
  then keywords (B2B → business customers, B2C/consumer → consumers, SMB/SME → small-business customers).
- team size: a number of people — "12人团队", "团队规模20人", "带领8名", "team of 12", "12-person team",
  "manage 8 engineers".

What is not found takes the language's default: 我们的产品 / our product, 客户 / customers, 团队 / the team.

`fill_placeholders(text, context, language)` puts the context into a question text so it reads well:
the customer type loses a trailing 客户/用户 (Chinese) or customers/clients (English; other nouns are
made singular) because the templates say "{customer_type}客户" / "a {customer_type} customer", and it
disappears when it is the default; a team size that is not a number becomes 十 / ten, because the
templates say "{team_size}人" / "a team of {team_size} people"; in English a determiner before {product}
is dropped when the product has its own ("the {product} contract" → "our CRM system contract"), and "a"
becomes "an" before a vowel.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

__all__ = ["DEFAULTS", "JobContext", "default_context", "fill_placeholders", "job_context"]


@dataclass(frozen=True)
class JobContext:
    product: str
    customer_type: str
    team_size: str


DEFAULTS: dict[str, JobContext] = {
    "zh-hans": JobContext(product="我们的产品", customer_type="客户", team_size="团队"),
    "en": JobContext(product="our product", customer_type="customers", team_size="the team"),
}
_FALLBACK_TEAM_SIZE = {"zh-hans": "十", "en": "ten"}
_MAX_CHARS = 40

_ZH_WORD = r"[A-Za-z0-9\u4e00-\u9fff]"
_ZH_NUM = r"(\d{1,4}|[一二两三四五六七八九十百]{1,4})"
_ZH_PRODUCT = re.compile(
    rf"(?:负责|参与|开发|运营|销售|推广|维护|推动|设计)(?:公司|我们|我司|集团)?的?"
    rf"({_ZH_WORD}{{1,12}}?(?:产品|平台|系统|软件|应用|APP|app|App|小程序|SaaS|saas|服务|设备|解决方案)+)"
)
_ZH_PRODUCT_IS = re.compile(rf"(?:我们|公司|我司)的?(?:核心)?产品(?:是|为|[：:])\s*(?:一款)?({_ZH_WORD}{{2,16}})")
# "加入我们的云桌面产品团队": the product named after whose it is, with no verb before it.
_ZH_PRODUCT_OURS = re.compile(
    rf"(?:我们|公司|我司)的({_ZH_WORD}{{1,12}}?(?:产品|平台|系统|软件|应用|APP|app|App|小程序|SaaS|saas|解决方案))"
)
_ZH_CUSTOMER = re.compile(
    rf"(?:面向|服务于|服务|针对)({_ZH_WORD}{{1,10}}?(?:客户|用户|企业|商家|机构|医院|学校|门店))"
)
_ZH_CUSTOMER_WORDS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"中小企业|中小微"), "中小企业"),
    (re.compile(r"大客户|KA\b"), "大客户"),
    (re.compile(r"政府|政企"), "政府"),
    (re.compile(r"B2B|ToB|to\s*B|企业级", re.IGNORECASE), "企业"),
    (re.compile(r"B2C|ToC|to\s*C|消费者|个人用户", re.IGNORECASE), "个人"),
)
_ZH_TEAM = (
    re.compile(rf"{_ZH_NUM}\s*(?:人|名)(?:左右)?的?(?:团队|小组|部门|队伍)"),
    re.compile(rf"团队(?:规模|人数)?(?:为|约|有|共|达)?\s*{_ZH_NUM}\s*(?:余)?(?:人|名)"),
    re.compile(rf"(?:带领|管理|领导|带)\s*{_ZH_NUM}\s*(?:人|名)"),
    re.compile(rf"(?:团队|小组|部门)[(（]\s*{_ZH_NUM}\s*(?:人|名)"),
)

_EN_NOUNS = r"(?:platform|app|application|software|product|system|service|solution|tool|suite|saas)s?"
_EN_WORDS = r"(?:[A-Za-z0-9][\w-]*\s+){0,3}?"
_EN_PRODUCT = (
    re.compile(rf"\b(?:our|the company's|its)\s+({_EN_WORDS}{_EN_NOUNS})\b", re.IGNORECASE),
    re.compile(
        r"\b(?:sell|sells|selling|build|builds|building|develop|develops|developing|support|supports|supporting|"
        r"maintain|maintains|maintaining|promote|promotes|promoting|run|runs|running)\s+(?:the\s+|our\s+)?"
        rf"({_EN_WORDS}{_EN_NOUNS})\b",
        re.IGNORECASE,
    ),
)
_EN_CUSTOMER_NOUNS = (
    r"customers|clients|businesses|companies|enterprises|consumers|retailers|hospitals|schools|merchants|users|"
    r"buyers|brands|manufacturers"
)
_EN_CUSTOMER = re.compile(
    rf"\b(?:serving|serve|serves|for|to|with)\s+((?:[a-z][a-z-]*\s+){{0,2}}?(?:{_EN_CUSTOMER_NOUNS}))\b",
    re.IGNORECASE,
)
_EN_CUSTOMER_WORDS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\b(?:SMBs?|SMEs?)\b"), "small-business customers"),
    (re.compile(r"\bB2B\b"), "business customers"),
    (re.compile(r"\bB2C\b|\bconsumers?\b", re.IGNORECASE), "consumers"),
    (re.compile(r"\benterprise\b", re.IGNORECASE), "enterprise customers"),
)
_EN_TEAM = (
    re.compile(r"\bteam of (?:about |around |up to |over |some )?(\d{1,4})\b", re.IGNORECASE),
    re.compile(r"\b(\d{1,4})[- ](?:person|people|member|strong)\s+team\b", re.IGNORECASE),
    re.compile(
        r"\b(?:lead|leads|leading|manage|manages|managing|supervise|supervises|supervising)\s+"
        r"(?:a\s+team\s+of\s+)?(\d{1,4})\b",
        re.IGNORECASE,
    ),
)
_EN_DETERMINERS = ("our ", "the ", "your ", "my ", "their ", "its ")
_NUMBER = re.compile(r"^(?:\d{1,4}|[一二两三四五六七八九十百]{1,4})$")
_PLACEHOLDER = re.compile(r"\{(product|customer_type|team_size)\}")


def default_context(language: str) -> JobContext:
    return DEFAULTS.get(language, DEFAULTS["en"])


def job_context(*, title: str, description: str, language: str) -> JobContext:
    """Product, customer type and team size found in the job's title and description, else the defaults."""
    default = default_context(language)
    text = unicodedata.normalize("NFKC", f"{title or ''}\n{description or ''}")
    if language == "zh-hans":
        product = _first(text, (_ZH_PRODUCT, _ZH_PRODUCT_IS, _ZH_PRODUCT_OURS))
        customer = _first(text, (_ZH_CUSTOMER,)) or _keyword(text, _ZH_CUSTOMER_WORDS)
        team = _first(text, _ZH_TEAM)
    else:
        product = _first(text, _EN_PRODUCT)
        if product and not product.lower().startswith(_EN_DETERMINERS):
            product = f"our {product}"
        customer = _first(text, (_EN_CUSTOMER,)) or _keyword(text, _EN_CUSTOMER_WORDS)
        team = _first(text, _EN_TEAM)
    return JobContext(
        product=product or default.product,
        customer_type=customer or default.customer_type,
        team_size=team or default.team_size,
    )


def _first(text: str, patterns: tuple[re.Pattern[str], ...]) -> str:
    for pattern in patterns:
        match = pattern.search(text)
        if match:
            value = " ".join(match.group(1).split())
            if 0 < len(value) <= _MAX_CHARS:
                return value
    return ""


def _keyword(text: str, table: tuple[tuple[re.Pattern[str], str], ...]) -> str:
    return next((value for pattern, value in table if pattern.search(text)), "")


def fill_placeholders(text: str, context: JobContext, language: str) -> str:
    """The question text with {product}, {customer_type} and {team_size} filled so that it reads well."""
    if "{" not in text:
        return text
    english = language != "zh-hans"
    default = default_context(language)
    customer = _customer_modifier(context.customer_type, default.customer_type, english)
    team = context.team_size.strip()
    if not _NUMBER.match(team):
        team = _FALLBACK_TEAM_SIZE["en" if english else "zh-hans"]
    product = context.product.strip() or default.product
    values = {"product": product, "customer_type": customer, "team_size": team}

    if english:
        if product.lower().startswith(_EN_DETERMINERS):
            text = re.sub(r"\b(?:the|a|an|your|our)\s+(?=\{product\})", "", text, flags=re.IGNORECASE)
        if not customer:
            text = re.sub(r"\{customer_type\}\s*", "", text)
    filled = _PLACEHOLDER.sub(lambda match: values[match.group(1)], text)
    if english:
        filled = re.sub(r"\b([Aa]) (?=[aeioAEIO])", r"\1n ", filled)
        filled = filled[:1].upper() + filled[1:]
    return filled


def _customer_modifier(value: str, default: str, english: bool) -> str:
    """What goes before 客户 / customer in a template: the type without its own head noun."""
    value = " ".join(value.split())
    if not value or value == default:
        return ""
    if not english:
        for noun in ("客户", "用户"):
            if value.endswith(noun) and len(value) > len(noun):
                return value[: -len(noun)]
        return value
    words = value.split(" ")
    last = words[-1].lower()
    if last in ("customers", "customer", "clients", "client"):
        words = words[:-1]
    elif last.endswith("ies"):
        words[-1] = words[-1][:-3] + "y"
    elif last.endswith(("sses", "shes", "ches")):
        words[-1] = words[-1][:-2]
    elif last.endswith("s") and not last.endswith("ss"):
        words[-1] = words[-1][:-1]
    return " ".join(words)
