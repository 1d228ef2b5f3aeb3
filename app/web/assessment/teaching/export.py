"""The gradebook as CSV: UTF-8 with a BOM (Excel opens Chinese correctly), formula-safe."""

import csv
import io

from flask_babel import gettext as _

from app.domain.spreadsheet import safe_cell


def gradebook_csv_lines(quizzes, rows, *, with_hints: bool = False):
    """with_hints: a column of the exercise hints each cadre opened."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def flush():
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    yield "\ufeff"
    writer.writerow([_("Employee number"), _("Name"), _("Org unit"),
                     *[q.title for q in quizzes], *([_("Hints used")] if with_hints else []),
                     _("Completed")])
    yield flush()
    for row in rows:
        cells = [row.user.username, row.user.name, row.user.org_unit.name]
        for quiz in quizzes:
            result = row.results.get(quiz.id)
            cells.append("" if result is None else str(result.percent))
        if with_hints:
            cells.append(str(row.hints))
        cells.append(row.enrollment.completed_at.date().isoformat()
                     if row.enrollment.completed_at else "")
        writer.writerow([safe_cell(c) for c in cells])
        yield flush()
