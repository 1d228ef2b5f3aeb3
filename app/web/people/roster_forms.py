"""Roster import forms, and the words for its problems and changes in the reader's language."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, HiddenField, SubmitField
from wtforms.validators import DataRequired, Length

from app.domain.roster import RowError
from app.labels import label


class RosterUploadForm(FlaskForm):
    file = FileField(_l("Roster file (CSV or XLSX)"),
                     description=_l("At most 10 MB. CSV in UTF-8 or GBK, as Excel saves it."))
    deactivate_missing = BooleanField(
        _l("Deactivate active accounts that are not in the file"),
        description=_l("Never the administrator importing, never accounts holding the "
                       "administrator role."))
    submit = SubmitField(_l("Upload and preview"))


class RosterConfirmForm(FlaskForm):
    token = HiddenField(validators=[DataRequired(), Length(max=64)])
    submit = SubmitField(_l("Import"))


class RosterErrorsForm(FlaskForm):
    token = HiddenField(validators=[DataRequired(), Length(max=64)])
    submit = SubmitField(_l("Download all errors (CSV)"))


def error_text(error: RowError) -> str:
    params = error.params
    texts = {
        "missing_value": lambda: _("A value is required."),
        "too_long": lambda: _("Longer than %(max)s characters.", max=params["max"]),
        "bad_username": lambda: _("Only letters, digits and . _ - @ are allowed."),
        "unknown_unit": lambda: _("No org unit has this code."),
        "inactive_unit": lambda: _("The org unit %(unit)s is inactive.", unit=params["unit"]),
        "duplicate_username": lambda: _("The same employee number is already on row %(row)s.",
                                        row=params["first_row"]),
        "bad_rank": lambda: _("Not a rank: use 厅局级, 县处级, 乡科级, 科员及以下 or 基层/网格员."),
        "bad_category": lambda: _("Not a work category: use 综合管理, 经济产业, 社会治理, "
                                  "城建应急 or 公共服务."),
        "unknown_role": lambda: _("Unknown role %(names)s: use 学员, 教员, 组织人事 or 管理员.",
                                  names=params["names"]),
        "bad_phone": lambda: _("Not a mobile or landline number."),
        "bad_email": lambda: _("Not an e-mail address."),
        "lost_precision": lambda: _(
            "A number of %(digits)s digits lost its last digits in Excel: format the column "
            "as text and type the values again.", digits=params["digits"]),
        "missing_header": lambda: _("The header row has no column %(column)s.",
                                    column=params["column"]),
        "duplicate_header": lambda: _("The header row has the column %(column)s twice.",
                                      column=params["column"]),
        "empty": lambda: _("The file is empty."),
        "no_data": lambda: _("The file has a header row but no people."),
        "too_many_rows": lambda: _("The file has more than %(limit)s rows.",
                                   limit=params["limit"]),
        "undecodable": lambda: _("The file is not text in UTF-8, GBK or GB18030: save it "
                                 "again as CSV (UTF-8) or XLSX."),
        "not_xlsx": lambda: _("This is not a CSV or XLSX file."),
        "old_xls": lambda: _("This is an old .xls workbook: save it as .xlsx or CSV."),
        "unreadable": lambda: _("The workbook cannot be read: save it again in Excel."),
        "zip_bomb": lambda: _("The workbook unpacks to far more data than a roster needs."),
    }
    text = texts.get(error.code)
    return text() if text else error.code


FIELD_LABELS = {"name": _l("Name"), "org_code": _l("Unit"), "rank": _l("Rank"),
                "category": _l("Category"), "roles": _l("Roles"), "active": _l("Active")}


def change_value(field: str, value) -> str:
    """A value of a field change as the preview shows it."""
    if field == "roles":
        return "、".join(label(role) for role in sorted(set(value))) or "—"
    if field == "active":
        return _("yes") if value else _("no")
    if field in ("rank", "category"):
        return label(value)
    return str(value)
