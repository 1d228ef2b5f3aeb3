import pytest

from app.domain.certificates import (
    CODE_LENGTH,
    code_matches,
    format_serial,
    mask_name,
    normalize_code,
    normalize_serial,
    parse_serial,
    tier_earned,
    verification_code,
)

KEY = "k" * 40


def test_serials_are_formatted_and_parsed_strictly():
    assert format_serial(2026, 1) == "DCA-2026-000001"
    assert format_serial(2026, 999999) == "DCA-2026-999999"
    with pytest.raises(ValueError):
        format_serial(2026, 1_000_000)
    assert parse_serial("DCA-2026-000042") == (2026, 42)
    assert parse_serial(" dca-2026-000042 ") == (2026, 42)
    assert normalize_serial("dca-2026-000042") == "DCA-2026-000042"
    for bad in ("", None, "DCA-2026-42", "DCA-26-000042", "XYZ-2026-000042",
                "DCA-2026-000000", "DCA-2026-0000421", "DCA-2026-000042" + "x" * 10_000,
                "DCA-2026-00004２"):
        assert parse_serial(bad) is None, bad


def test_the_code_is_a_truncated_hmac_in_base32():
    code = verification_code("DCA-2026-000001", KEY)
    assert len(code) == CODE_LENGTH and code.isalnum() and code == code.upper()
    assert "=" not in code
    assert verification_code("DCA-2026-000001", KEY) == code  # deterministic
    assert verification_code("DCA-2026-000002", KEY) != code
    assert verification_code("DCA-2026-000001", "other" * 8) != code


def test_codes_are_compared_after_normalizing_what_was_typed():
    code = verification_code("DCA-2026-000001", KEY)
    assert code_matches("DCA-2026-000001", code, KEY)
    spaced = f" {code[:4].lower()} {code[4:8]}-{code[8:12]}\t{code[12:]} "
    assert normalize_code(spaced) == code
    assert code_matches("DCA-2026-000001", spaced, KEY)
    tampered = code[:-1] + ("A" if code[-1] != "A" else "B")
    assert not code_matches("DCA-2026-000001", tampered, KEY)
    other = verification_code("DCA-2026-000002", KEY)
    assert not code_matches("DCA-2026-000001", other, KEY)
    for bad in (None, "", code[:-1], code + "A", "码" * 16, "x" * 10_000):
        assert not code_matches("DCA-2026-000001", bad, KEY)


@pytest.mark.parametrize(("name", "masked"), [
    ("张三明", "张*明"), ("李明", "李*"), ("张", "张*"), ("欧阳明华", "欧阳*华"),
    ("欧阳华", "欧阳*"), ("司马相如", "司马*如"), ("张三四明", "张*明"), ("欧阳", "欧*"),
    ("John Smith", "J*** S****"), ("Li", "L*"), ("", "*"), ("  王小红 ", "王*红"),
])
def test_names_are_masked(name, masked):
    assert mask_name(name) == masked


def test_a_tier_is_earned_by_every_core_course_and_never_by_none():
    assert tier_earned({1, 2}, {1, 2, 3})
    assert not tier_earned({1, 2}, {1, 3})
    assert not tier_earned(set(), {1, 2, 3})


def test_course_yaml_reads_the_optional_core_key():
    from tests.domain.test_course_files import COURSE_YAML, folder, parse, problems

    assert parse(folder()).core is False
    text = COURSE_YAML.replace("status:", "core: true\nstatus:", 1)
    assert parse(folder(course_dot_yaml=text)).core is True
    wrong = COURSE_YAML.replace("status:", "core: 是\nstatus:", 1)
    assert any("core must be true or false" in p
               for p in problems(folder(course_dot_yaml=wrong)))


def test_course_yaml_writes_core_only_when_true():
    from app.domain.course_files.serialize import content_hash, course_document
    from tests.domain.test_course_files import folder, parse

    spec = parse(folder())
    plain_hash = content_hash(spec)
    assert "core" not in course_document(spec)
    spec.core = True
    document = course_document(spec)
    assert document["core"] is True
    assert list(document)[list(document).index("kind") + 1] == "core"
    assert content_hash(spec) != plain_hash
