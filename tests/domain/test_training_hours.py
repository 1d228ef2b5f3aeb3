"""The whole hours ledger on plain values (issue 20)."""

from datetime import date
from decimal import Decimal as D

from app.domain.training_hours import (
    Claim,
    ClassStanding,
    HoursKind,
    HoursTargets,
    LedgerLine,
    claim_problems,
    five_year_total,
    hours_standing,
    overlaps,
    repeated_certificate,
    year_hours,
)

LINES = [
    LedgerLine(2026, HoursKind.ONLINE, D("30")),
    LedgerLine(2026, HoursKind.FACE_TO_FACE, D("24")),
    LedgerLine(2026, HoursKind.RECOGNIZED, D("8.5")),
    LedgerLine(2026, HoursKind.ONLINE, D("0.25")),
    LedgerLine(2024, HoursKind.ONLINE, D("100")),
    LedgerLine(2022, HoursKind.FACE_TO_FACE, D("200")),
    LedgerLine(2021, HoursKind.ONLINE, D("300")),  # six years back: out of the five
]


def test_a_year_by_kind():
    year = year_hours(LINES, 2026)
    assert (year.of(HoursKind.ONLINE), year.of(HoursKind.FACE_TO_FACE),
            year.of(HoursKind.RECOGNIZED), year.total) == (D("30.25"), D("24"), D("8.5"),
                                                            D("62.75"))


def test_the_five_year_total_counts_this_year_and_the_four_before():
    assert five_year_total(LINES, 2026) == D("362.75")
    assert five_year_total(LINES, 2025) == D("600")


def test_other_kinds_do_not_make_up_for_the_online_minimum():
    standing = hours_standing(LINES, 2026, HoursTargets(yearly=D("50"),
                                                        online_minimum=D("50"),
                                                        five_year=D("550")))
    assert standing.yearly_short == 0 and standing.online_short == D("19.75")
    assert standing.five_year_short == D("187.25") and not standing.five_year_met
    assert not standing.on_target and standing.counted_hours == D("43.00")
    easy = hours_standing(LINES, 2026, HoursTargets(yearly=D("50")))
    assert easy.on_target and easy.counted_hours == D("62.75") and easy.five_year_met
    five_short = hours_standing(LINES, 2026, HoursTargets(yearly=D("50"), five_year=D("550")))
    assert five_short.on_target and not five_short.five_year_met


def test_a_class_completes_with_enough_attendance_the_courses_and_the_test():
    done = ClassStanding(D("13"), D("16"), (), True)
    assert done.completed  # 13 of 16 hours is 81 %
    short = ClassStanding(D("12"), D("16"), ("DC101",), False)
    assert short.missing == ["attendance", "courses", "test"]
    assert not short.at_risk(D("4")) and short.at_risk(D("0"))
    assert ClassStanding(D("0"), D("0"), (), None).missing == ["attendance"]


def test_claims_that_the_dates_cannot_hold_are_refused():
    two_days = Claim(date(2026, 5, 1), date(2026, 5, 2), D("16"))
    assert claim_problems(two_days) == []
    assert claim_problems(Claim(date(2026, 5, 1), date(2026, 5, 2), D("16.5"))) == [
        "More hours are claimed than the dates allow (at most 8 a day)."]
    assert claim_problems(Claim(date(2026, 5, 2), date(2026, 5, 1), D("1"))) == [
        "The training cannot end before it starts."]
    assert claim_problems(Claim(date(2026, 5, 1), date(2026, 5, 1), D("0"))) == [
        "The hours claimed must be more than 0."]


def test_overlapping_dates_and_repeated_certificates_are_flagged():
    claim = Claim(date(2026, 5, 1), date(2026, 5, 3), D("8"), "GB 2026-01")
    assert overlaps(claim, date(2026, 5, 3), date(2026, 5, 9))
    assert not overlaps(claim, date(2026, 5, 4), date(2026, 5, 9))
    assert repeated_certificate(claim, ["x", "gb2026-01"])
    assert not repeated_certificate(Claim(date(2026, 5, 1), date(2026, 5, 1), D("1")), [""])
