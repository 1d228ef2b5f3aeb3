"""Refusals of the no-code builder and the chart, in the reader's language."""

from flask_babel import gettext as _


def builder_problem(error) -> str:
    params = error.params
    messages = {
        "unknown_table": lambda: _("There is no table %(name)s.", name=params.get("table")),
        "unknown_column": lambda: _("There is no column %(name)s.", name=params.get("column")),
        "unknown_op": lambda: _("Choose a comparison for the filter."),
        "unknown_func": lambda: _("Choose a calculation (count, sum, average, minimum, "
                                  "maximum)."),
        "column_required": lambda: _("Choose the column to calculate on."),
        "not_numeric": lambda: _("Sum and average need a numeric column; %(name)s holds text.",
                                 name=params.get("column")),
        "not_a_number": lambda: _("“%(value)s” is not a number; this column holds numbers.",
                                  value=params.get("value")),
        "value_required": lambda: _("Enter a value for the filter."),
        "value_too_long": lambda: _("The filter value is too long (at most %(n)s characters).",
                                    n=params.get("max")),
        "bad_character": lambda: _("The filter value contains a character that cannot be "
                                   "used."),
        "too_many_filters": lambda: _("At most %(n)s filters.", n=params.get("max")),
        "too_many_groups": lambda: _("Group by at most %(n)s columns.", n=params.get("max")),
        "duplicate_group": lambda: _("Each column can be grouped by only once."),
        "too_many_aggregates": lambda: _("At most %(n)s calculations.", n=params.get("max")),
        "duplicate_output": lambda: _("The same calculation is chosen twice."),
        "bad_limit": lambda: _("Show between 1 and 1000 rows."),
        "unknown_order": lambda: _("Sort by one of the result's columns."),
        "bad_order": lambda: _("Sort largest first or smallest first."),
        "bad_page": lambda: _("There is no such page."),
        "bad_per_page": lambda: _("There is no such page."),
    }
    return messages.get(error.code, lambda: _("The analysis cannot be built: %(code)s",
                                              code=error.code))()


def chart_problem(error) -> str:
    messages = {
        "no_numbers": _("A chart needs a column of numbers in the result."),
        "empty": _("The result has no rows to chart."),
        "too_many_labels": _("Too many rows for a chart (at most 200); group or filter first."),
        "too_many_series": _("Too many number columns for a chart (at most 6)."),
        "bad_kind": _("Choose a bar or a line chart."),
    }
    return messages.get(error.code, error.code)
