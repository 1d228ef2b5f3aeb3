"""Fake but well-formed identities: names, resident ID numbers, phones, plates, companies.

Every person, number and company here is generated; a resemblance to a real
one is chance. ID numbers follow GB 11643-1999 (address code, birth date,
sequence whose parity gives the sex, ISO 7064 MOD 11-2 check character).
"""

import random
from datetime import date, timedelta

from app.domain.scenarios.sampling import Picker, below

# Common surnames, Chongqing's frequent ones (谭, 向, 冉, 秦, 熊) included, most common first.
_SURNAMES = ("陈刘李王张杨何黄周罗谭唐吴邓徐向赵冉曾彭余蒋胡秦熊郑田袁马谢"
             "蔡文朱梁冯肖廖龚程傅许韩魏潘杜汪沈邱牟任姚卢苏夏")
SURNAMES = Picker(_SURNAMES, [1 / (rank + 4) for rank in range(len(_SURNAMES))])
MALE_CHARS = "伟强磊军洋勇杰涛明超刚建国文斌辉鹏宇浩俊凯鑫峰志波亮成林华平川渝江松东健"
FEMALE_CHARS = "芳娜敏静丽艳秀霞桂英玉兰萍红娟琳雪梅晨欣怡婷颖倩洁琴莉燕丹蓉佳慧"

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"

MOBILE_PREFIXES = ("139", "138", "137", "136", "135", "150", "151", "152", "158", "159",
                   "182", "183", "187", "188", "130", "131", "132", "155", "156", "185",
                   "186", "133", "153", "180", "181", "189", "177", "199", "198", "166")

_COMPANY_STEMS = ("渝通", "山城", "巴渝", "两江", "鑫达", "恒运", "宏顺", "顺捷", "嘉陵",
                  "龙腾", "盛川", "中渝", "金鼎", "德润", "聚源", "锦程", "永鑫",
                  "兴旺", "华迪", "泰隆", "瑞丰", "通达", "远航", "正阳", "天泽", "北辰",
                  "众诚", "广厦", "铭城", "富川", "安达")
_COMPANY_KINDS = ("建设运输有限公司", "渣土运输有限公司", "建筑工程运输有限公司",
                  "物流有限公司")


def person_name(rng: random.Random, male: bool) -> str:
    chars = MALE_CHARS if male else FEMALE_CHARS
    given = chars[below(rng, len(chars))]
    if rng.random() < 0.75:
        given += chars[below(rng, len(chars))]
    return SURNAMES.one(rng) + given


def check_character(first17: str) -> str:
    """The GB 11643 check character for the first 17 digits."""
    total = 0
    for digit, weight in zip(first17, _WEIGHTS, strict=True):
        total += (ord(digit) - 48) * weight
    return _CHECK[total % 11]


def is_valid_id_number(number: str) -> bool:
    """18 characters, 17 digits and the right check character (a lowercase x counts)."""
    if len(number) != 18 or not number[:17].isdigit() or not number[:17].isascii():
        return False
    return number[17].upper() == check_character(number[:17])


def id_number(rng: random.Random, area_code: str, born: date, male: bool) -> str:
    sequence = below(rng, 500) * 2 + (1 if male else 0)  # odd for men, even for women
    first17 = f"{area_code}{born:%Y%m%d}{sequence:03d}"
    return first17 + check_character(first17)


def birth_date(rng: random.Random, year: int) -> date:
    return date(year, 1, 1) + timedelta(days=below(rng, 365))


def mobile_number(rng: random.Random) -> str:
    return MOBILE_PREFIXES[below(rng, len(MOBILE_PREFIXES))] + f"{below(rng, 100_000_000):08d}"


def plates(rng: random.Random, count: int, prefix: str = "渝A") -> list[str]:
    """Distinct plates like 渝A52817 (ascii digits)."""
    return [f"{prefix}{number:05d}" for number in rng.sample(range(10_000, 100_000), count)]


def company_names(rng: random.Random, count: int) -> list[str]:
    """Distinct names like 重庆恒运建设运输有限公司."""
    if count > len(_COMPANY_STEMS):
        raise ValueError(f"at most {len(_COMPANY_STEMS)} company names, asked for {count}")
    return [f"重庆{stem}{rng.choice(_COMPANY_KINDS)}"
            for stem in rng.sample(_COMPANY_STEMS, count)]
