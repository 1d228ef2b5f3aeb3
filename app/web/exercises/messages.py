"""Refusals of the analysis builder, the table browser and the chart, in the reader's
language; each names what is wrong (the column, the value, the limit)."""

from flask_babel import gettext as _

from app.domain.analysis.pivoting import MAX_PIVOT_COLUMNS


def _messages(p: dict) -> dict:
    return {
        "unknown_table": lambda: _("There is no table %(name)s.", name=p.get("table")),
        "unknown_column": lambda: _("There is no column %(name)s here; choose one from the "
                                    "list.", name=p.get("column")),
        "unknown_op": lambda: _("Choose a comparison from the list (not “%(op)s”).",
                                op=p.get("op", "")),
        "unknown_func": lambda: _("Choose a calculation from the list (not “%(func)s”).",
                                  func=p.get("func", "")),
        "column_required": lambda: _("Choose the column to calculate on."),
        "not_numeric": lambda: _("This needs a column of numbers; %(name)s holds text.",
                                 name=p.get("column")),
        "not_text": lambda: _("This needs a column of text or times; %(name)s holds numbers.",
                              name=p.get("column")),
        "not_a_number": lambda: _("“%(value)s” is not a number; this column holds numbers.",
                                  value=p.get("value")),
        "value_required": lambda: _("Enter a value."),
        "value_too_long": lambda: _("The value is too long (at most %(n)s characters).",
                                    n=p.get("max")),
        "bad_character": lambda: _("The value contains a character that cannot be used."),
        "bad_list": lambda: _("Enter between 1 and %(n)s values, separated by commas.",
                              n=p.get("max")),
        "bad_name": lambda: _("Give a name of 1 to %(n)s characters, without quotes.",
                              n=p.get("max")),
        "duplicate_name": lambda: _("The name %(name)s is taken; choose another.",
                                    name=p.get("column")),
        "duplicate_output": lambda: _("The result would have two columns named %(name)s; "
                                      "give one a name of its own.", name=p.get("column")),
        "bad_integer": lambda: _("Enter a whole number from %(low)s to %(high)s.",
                                 low=p.get("min"), high=p.get("max")),
        "bad_arguments": lambda: _("This calculation needs %(n)s values.", n=p.get("count")),
        "bad_buckets": lambda: _("Bands need 1 to %(n)s rules (comparison, value, label) and "
                                 "a label for everything else.", n=p.get("max")),
        "compare_types": lambda: _("%(left)s and %(right)s cannot be compared: one holds "
                                   "numbers, the other text.", left=p.get("left"),
                                   right=p.get("right")),
        "join_same_table": lambda: _("Join a different table, not %(name)s itself.",
                                     name=p.get("table")),
        "join_types": lambda: _("The join keys %(left)s and %(right)s are of different types "
                                "(numbers and text); derive a key of the same type first.",
                                left=p.get("left"), right=p.get("right")),
        "having_needs_groups": lambda: _("Filters on groups and calculations need a group or "
                                         "a figure first."),
        "having_on_share": lambda: _("%(name)s is a share of the total; it cannot filter the "
                                     "groups.", name=p.get("column")),
        "share_with_conditions": lambda: _("A share of the total counts every row; remove "
                                           "its conditions."),
        "pivot_alone": lambda: _("A cross table replaces grouping: clear the groups, figures, "
                                 "calculations and filters on groups, or the cross table."),
        "pivot_same_column": lambda: _("The rows and the columns of a cross table must be two "
                                       "different columns."),
        "pivot_too_wide": lambda: _("%(name)s has %(count)s different values; a cross table can "
                                    "have at most %(max)s columns. Choose a column with fewer "
                                    "values, or filter first.", name=p.get("column"),
                                    count=p.get("count"), max=p.get("max", MAX_PIVOT_COLUMNS)),
        "bad_model": lambda: _("This analysis cannot be read; start again from the form."),
        "too_many_filters": lambda: _("At most %(n)s filters.", n=p.get("max")),
        "too_many_groups": lambda: _("Group by at most %(n)s columns.", n=p.get("max")),
        "too_many_measures": lambda: _("At most %(n)s figures.", n=p.get("max")),
        "too_many_calcs": lambda: _("At most %(n)s calculations.", n=p.get("max")),
        "too_many_havings": lambda: _("At most %(n)s filters on groups.", n=p.get("max")),
        "too_many_sorts": lambda: _("Sort by at most %(n)s columns.", n=p.get("max")),
        "bad_limit": lambda: _("Show between 1 and 1000 rows."),
        "unknown_order": lambda: _("Sort by one of the result's columns, not %(name)s.",
                                   name=p.get("column")),
        "bad_order": lambda: _("Sort largest first or smallest first."),
        "bad_page": lambda: _("There is no such page."),
        "bad_per_page": lambda: _("There is no such page."),
    }


def builder_problem(error) -> str:
    messages = _messages(error.params)
    return messages.get(error.code, lambda: _("The analysis cannot be built: %(code)s",
                                              code=error.code))()


def known_codes() -> frozenset[str]:
    return frozenset(_messages({}))


def notice_text(notice) -> str:
    return _("%(column)s: %(n)s rows have no ratio: the denominator is 0 or empty.",
             column=notice.column, n=notice.count)


def chart_problem(error) -> str:
    messages = {
        "no_numbers": _("A chart needs a column of numbers in the result."),
        "empty": _("The result has no rows to chart."),
        "too_many_labels": _("Too many rows for a chart (at most 200); group or filter first."),
        "too_many_series": _("Too many number columns for a chart (at most 6)."),
        "bad_kind": _("Choose a bar or a line chart."),
    }
    return messages.get(error.code, error.code)
