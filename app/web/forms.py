"""Forms and fields shared by several blueprints.

Every number typed on a form goes through the fields below (tests/web/test_numeric_fields.py
checks that no form uses WTForms' own numeric fields): ``NaN``, ``inf``, ``-inf`` and numbers
too large for a column (``1e400``) are a form error naming the field, never a 500.
"""

from decimal import Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DecimalField, FloatField, IntegerField

#: Ordinary numbers stay below this in size (columns are NUMERIC(…) or 32-bit integers).
LARGEST = Decimal(10) ** 9
NOT_ORDINARY = _l("Enter an ordinary number: not NaN or infinity, and less than a billion.")


class ActionForm(FlaskForm):
    """A button that changes something: carries only the CSRF token."""


def ordinary_decimal(text) -> Decimal | None:
    """The number in ``text``, or None when it is not an ordinary finite number below a
    billion (``NaN``, ``inf``, ``1e400``, words)."""
    try:
        value = Decimal(str(text).strip())
    except (InvalidOperation, ValueError, TypeError):
        return None
    return value if value.is_finite() and abs(value) < LARGEST else None


def _refuse_extraordinary(field, number) -> None:
    if number is not None and ordinary_decimal(number) is None:
        field.data = None
        raise ValueError(NOT_ORDINARY)


class OrdinaryDecimalField(DecimalField):
    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        _refuse_extraordinary(self, self.data)


class OrdinaryFloatField(FloatField):
    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        _refuse_extraordinary(self, self.data)


class OrdinaryIntegerField(IntegerField):
    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        _refuse_extraordinary(self, self.data)
