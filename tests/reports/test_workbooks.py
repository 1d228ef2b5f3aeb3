from datetime import date
from decimal import Decimal
from io import BytesIO

from openpyxl import load_workbook

from app.domain.unit_figures import HoursByKind
from app.domain.vocabulary import OrgLevel, Rank, WorkCategory
from app.reports.workbooks import (
    Column,
    build_workbook,
    cadres_workbook,
    compliance_workbook,
    units_workbook,
)
from app.services.records.dashboard import (
    CadreRow,
    ChildRow,
    ComplianceList,
    ComplianceRow,
    Figures,
    UnitDashboard,
    UnitRef,
)

COLUMNS = [Column("姓名", 14), Column("学时", 10, "hours"), Column("完成率", 12, "percent"),
           Column("人数", 8, "integer"), Column("截止", 12, "date")]


def read(data: bytes):
    return load_workbook(BytesIO(data)).active


def test_header_frozen_widths_and_number_formats():
    sheet = read(build_workbook("渝中区 2026", COLUMNS, [
        ("张三", Decimal("12.5"), 0.25, 3, date(2026, 6, 30)),
        ("李四", None, None, 0, None)]))
    assert sheet.title == "渝中区 2026" and sheet.freeze_panes == "A2"
    assert [c.value for c in sheet[1]] == ["姓名", "学时", "完成率", "人数", "截止"]
    assert sheet["A1"].font.bold
    assert sheet.column_dimensions["A"].width == 14 and sheet.column_dimensions["C"].width == 12
    assert (sheet["B2"].value, sheet["B2"].number_format) == (12.5, "0.0")
    assert (sheet["C2"].value, sheet["C2"].number_format) == (0.25, "0.0%")
    assert sheet["D2"].number_format == "0" and sheet["E2"].number_format == "yyyy-mm-dd"
    assert sheet["E2"].value.date() == date(2026, 6, 30)
    assert sheet["B3"].value is None and sheet["C3"].value is None and sheet["D3"].value == 0
    assert sheet.max_row == 3


def test_text_that_looks_like_a_formula_stays_text():
    rows = [(text, 1, 0.5, 1, None) for text in
            ('=HYPERLINK("http://evil","x")', "+1", "-2", "@SUM(A1)", "\tTab", "普通")]
    sheet = read(build_workbook("t", COLUMNS, rows))
    values = [sheet.cell(row=r, column=1) for r in range(2, 8)]
    assert all(cell.data_type == "s" for cell in values)
    assert [cell.value for cell in values] == [
        "'=HYPERLINK(\"http://evil\",\"x\")", "'+1", "'-2", "'@SUM(A1)", "'\tTab", "普通"]


def test_control_characters_and_bad_sheet_titles_do_not_break_the_file():
    sheet = read(build_workbook("a/b:c*d?[e]" + "长" * 40, COLUMNS,
                                [("坏\x00名\x07字", 1, 0.1, 1, None)]))
    assert sheet["A2"].value == "坏名字"
    assert len(sheet.title) == 31 and not set("/:*?[]") & set(sheet.title)


def test_the_three_hr_tables():
    unit = UnitRef(1, "500103", "渝中区", OrgLevel.DISTRICT)
    street = UnitRef(2, "500103001", "=街道", OrgLevel.STREET)
    figures = Figures(cadres=4, enrolled=3, enrollments=4, completed=1, hours=Decimal(90),
                      on_target=1, scored=2, score_total=Decimal(150))
    board = UnitDashboard(unit=unit, year=2026, rank=None, category=None, tiles=figures,
                          children=(ChildRow(street, figures, False),
                                    ChildRow(unit, Figures(), False, own=True)),
                          score_buckets=(), mastery=(), ratings=(), breadcrumbs=(unit,))
    sheet = read(units_workbook(board, label=str))
    assert [c.value for c in sheet[2]] == ["500103001", "'=街道", "street", 4, 3, 0.25, 22.5,
                                           0.25, 75]
    assert sheet.max_row == 3 and sheet["A3"].value == "500103"

    kinds = HoursByKind(online=Decimal("8.5"), face_to_face=Decimal(3),
                        recognized=Decimal(1), online_minimum=10,
                        five_year=Decimal("120.25"), five_year_target=550)
    person = CadreRow(7, "CQ1", "李明", "解放碑街道", Rank.STAFF, WorkCategory.ECONOMY,
                      Decimal("12.5"), 50, 2, 1, None, None, kinds)
    sheet = read(cadres_workbook("名单", [person], label=str))
    assert [c.value for c in sheet[2]] == ["CQ1", "李明", "解放碑街道", "staff", "economy",
                                           12.5, 50, 8.5, 10, 3, 1, 120.25, 550, 2, 1, None,
                                           None]
    assert not person.on_target and kinds.online_short == Decimal("1.5")

    late = ComplianceRow(7, "CQ1", "李明", "解放碑街道", Rank.STAFF, WorkCategory.ECONOMY,
                         Decimal("12.5"), 50, 2, date(2026, 6, 30), kinds)
    sheet = read(compliance_workbook(ComplianceList(unit, 2026, date(2026, 7, 1), (late,)),
                                     label=str))
    assert sheet["H2"].value == 37.5 and sheet["I2"].value == 8.5
    assert sheet["O2"].value == 1.5 and sheet["P2"].value == 2
    assert sheet["Q2"].number_format == "yyyy-mm-dd"
