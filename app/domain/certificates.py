"""Certificates: serials, verification codes, masked names and the tier rule (pure).

A serial is ``DCA-YYYY-NNNNNN``: the year of issue and a number sequential within it. The
verification code printed with it is the HMAC-SHA256 of the serial under a signing key,
truncated to 80 bits and written in base32 (16 characters), so nobody without the key can
make up a valid (serial, code) pair and serials alone do not reveal anything.

The tier rule: a tier certificate (数字素养基础 / 进阶 / 高阶) is earned when the cadre has
completed every *published* course marked core for that tier. A tier without any core
course issues nothing (an empty list of requirements proves nothing).
"""

import base64
import hashlib
import hmac
import re
from collections.abc import Iterable

from app.domain.vocabulary import CourseTier

SERIAL_PREFIX = "DCA"
SERIAL_PATTERN = re.compile(r"^DCA-([0-9]{4})-([0-9]{6})$")
MAX_SERIAL_NUMBER = 999_999
CODE_BYTES = 10  # 80 bits → 16 base32 characters, no padding
CODE_LENGTH = 16
#: Used outside production when CERT_SIGNING_KEY is empty (production refuses to start).
DEV_SIGNING_KEY = "cadre-digital-academy-development-certificate-key"

#: Printed titles and levels of tier certificates (certificates are printed in Chinese).
TIER_TITLES = {CourseTier.FOUNDATION: "数字素养基础", CourseTier.INTERMEDIATE: "数字素养进阶",
               CourseTier.ADVANCED: "数字素养高阶"}
TIER_LEVELS = {CourseTier.FOUNDATION: "基础", CourseTier.INTERMEDIATE: "进阶",
               CourseTier.ADVANCED: "高阶"}

#: Two-character (compound) surnames: the whole surname stays visible when masking.
COMPOUND_SURNAMES = frozenset({
    "欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐", "长孙",
    "宇文", "司徒", "夏侯", "轩辕", "端木", "独孤", "南宫", "西门", "百里", "呼延", "澹台",
    "公冶", "太叔", "申屠", "闻人", "万俟", "赫连", "钟离", "宗政", "濮阳", "淳于", "单于",
    "仲孙", "东郭", "南门", "羊舌", "微生", "梁丘", "左丘", "东门", "司空", "司寇", "亓官",
    "拓跋", "第五", "鲜于", "乐正", "漆雕", "壤驷", "公良", "谷梁", "段干", "巫马", "公西",
})
_LATIN_NAME = re.compile(r"^[A-Za-z][A-Za-z .'\-]*$")


def format_serial(year: int, number: int) -> str:
    if not 1 <= number <= MAX_SERIAL_NUMBER:
        raise ValueError(f"serial number out of range: {number}")
    return f"{SERIAL_PREFIX}-{year:04d}-{number:06d}"


def parse_serial(text: str | None) -> tuple[int, int] | None:
    """(year, number) of a well-formed serial, else None; surrounding spaces and case ignored."""
    if not text or len(text) > 40:
        return None
    match = SERIAL_PATTERN.match(text.strip().upper())
    if match is None or int(match.group(2)) == 0:
        return None
    return int(match.group(1)), int(match.group(2))


def normalize_serial(text: str | None) -> str | None:
    parsed = parse_serial(text)
    return None if parsed is None else format_serial(*parsed)


def verification_code(serial: str, key: str | bytes) -> str:
    key_bytes = key.encode("utf-8") if isinstance(key, str) else key
    digest = hmac.new(key_bytes, serial.encode("ascii"), hashlib.sha256).digest()
    return base64.b32encode(digest[:CODE_BYTES]).decode("ascii")


def normalize_code(text: str | None) -> str:
    """What a person typed, as a code: whitespace and dashes dropped, upper-cased."""
    if not text or len(text) > 200:
        return ""
    return re.sub(r"[\s\-]+", "", text).upper()


def code_matches(serial: str, code: str | None, key: str | bytes) -> bool:
    typed = normalize_code(code)
    if len(typed) != CODE_LENGTH:
        return False
    return hmac.compare_digest(typed.encode("ascii", "replace"),
                               verification_code(serial, key).encode("ascii"))


def mask_name(name: str) -> str:
    """The holder's name as the public page shows it: 张*明, 欧阳*华, 张*, J*** S****."""
    name = (name or "").strip()
    if not name:
        return "*"
    if _LATIN_NAME.match(name):
        return " ".join(word[0] + "*" * (len(word) - 1) for word in name.split())
    surname_length = 2 if len(name) > 2 and name[:2] in COMPOUND_SURNAMES else 1
    surname, given = name[:surname_length], name[surname_length:]
    if len(given) <= 1:
        return surname + "*"
    return surname + "*" + given[-1]


def tier_earned(core_course_ids: Iterable[int], completed_course_ids: Iterable[int]) -> bool:
    """Every core course of the tier completed; a tier with no core course is never earned."""
    core = set(core_course_ids)
    return bool(core) and core <= set(completed_course_ids)
