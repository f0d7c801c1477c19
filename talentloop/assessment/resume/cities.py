"""Chinese cities people state in resumes and job posts, with their English names.

The canonical form is the Chinese name ("上海"): resumes and job locations written either way compare equal
after `normalise_city`, and `city_english_name` gives the display name for an English interface.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# (Chinese name, English name, other spellings). Taizhou is 台州 (Zhejiang), the larger of the two.
CITIES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("北京", "Beijing", ("Peking",)), ("上海", "Shanghai", ()), ("广州", "Guangzhou", ("Canton",)),
    ("深圳", "Shenzhen", ()), ("杭州", "Hangzhou", ()), ("南京", "Nanjing", ("Nanking",)), ("苏州", "Suzhou", ()),
    ("成都", "Chengdu", ()), ("重庆", "Chongqing", ()), ("武汉", "Wuhan", ()), ("西安", "Xi'an", ("Xian", "Xi’an")),
    ("天津", "Tianjin", ()), ("长沙", "Changsha", ()), ("郑州", "Zhengzhou", ()), ("青岛", "Qingdao", ()),
    ("济南", "Jinan", ()), ("合肥", "Hefei", ()), ("福州", "Fuzhou", ()), ("厦门", "Xiamen", ("Amoy",)),
    ("宁波", "Ningbo", ()), ("无锡", "Wuxi", ()), ("东莞", "Dongguan", ()), ("佛山", "Foshan", ()),
    ("珠海", "Zhuhai", ()), ("大连", "Dalian", ()), ("沈阳", "Shenyang", ()), ("哈尔滨", "Harbin", ()),
    ("长春", "Changchun", ()), ("石家庄", "Shijiazhuang", ()), ("太原", "Taiyuan", ()), ("昆明", "Kunming", ()),
    ("贵阳", "Guiyang", ()), ("南宁", "Nanning", ()), ("南昌", "Nanchang", ()), ("兰州", "Lanzhou", ()),
    ("乌鲁木齐", "Urumqi", ("Ürümqi",)), ("呼和浩特", "Hohhot", ()), ("银川", "Yinchuan", ()), ("西宁", "Xining", ()),
    ("拉萨", "Lhasa", ()), ("海口", "Haikou", ()), ("三亚", "Sanya", ()), ("温州", "Wenzhou", ()),
    ("绍兴", "Shaoxing", ()), ("嘉兴", "Jiaxing", ()), ("金华", "Jinhua", ("Yiwu", "义乌")), ("台州", "Taizhou", ()),
    ("常州", "Changzhou", ()), ("南通", "Nantong", ()), ("徐州", "Xuzhou", ()), ("扬州", "Yangzhou", ()),
    ("烟台", "Yantai", ()), ("潍坊", "Weifang", ()), ("泉州", "Quanzhou", ()), ("惠州", "Huizhou", ()),
    ("中山", "Zhongshan", ()), ("洛阳", "Luoyang", ()), ("唐山", "Tangshan", ()), ("保定", "Baoding", ()),
    ("昆山", "Kunshan", ()), ("芜湖", "Wuhu", ()), ("绵阳", "Mianyang", ()), ("襄阳", "Xiangyang", ()),
    ("宜昌", "Yichang", ()), ("赣州", "Ganzhou", ()), ("香港", "Hong Kong", ("Hongkong", "HK")),
    ("澳门", "Macau", ("Macao",)), ("台北", "Taipei", ()),
)


@lru_cache(maxsize=1)
def _tables() -> tuple[dict[str, str], dict[str, str], re.Pattern[str], re.Pattern[str]]:
    lookup: dict[str, str] = {}
    english: dict[str, str] = {}
    for zh, en, others in CITIES:
        english[zh] = en
        for name in (zh, en, *others):
            lookup[name.lower()] = zh
    chinese_names = sorted((n for n in lookup if not n.isascii()), key=len, reverse=True)
    ascii_names = sorted((n for n in lookup if n.isascii()), key=len, reverse=True)
    chinese = re.compile("|".join(map(re.escape, chinese_names)))
    latin = re.compile(r"(?<![A-Za-z])(?:" + "|".join(map(re.escape, ascii_names)) + r")(?![A-Za-z])", re.IGNORECASE)
    return lookup, english, chinese, latin


def normalise_city(name: str) -> str | None:
    """The canonical (Chinese) name of a known city given in Chinese or English, with or without 市/City."""
    lookup = _tables()[0]
    text = unicodedata.normalize("NFKC", name).strip().lower()
    text = re.sub(r"(?:市|\s+city)$", "", text).strip()
    return lookup.get(text)


def find_city(text: str) -> str | None:
    """The first known city mentioned in `text` ("浙江省杭州市西湖区" -> "杭州"), as its canonical name."""
    lookup, _, chinese, latin = _tables()
    text = unicodedata.normalize("NFKC", text)
    found = [m for m in (chinese.search(text), latin.search(text)) if m is not None]
    if not found:
        return None
    first = min(found, key=lambda m: m.start())
    return lookup.get(first.group().lower())


def city_english_name(name: str) -> str | None:
    canonical = normalise_city(name)
    return None if canonical is None else _tables()[1][canonical]
