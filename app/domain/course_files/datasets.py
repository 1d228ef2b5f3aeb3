"""Fixed exercise datasets: CSV files (exercises/data/<file>.csv) to typed tables and back.

A trainer who has real (desensitized) data instead of a scenario gives it as CSV: a
header row of column names, optionally with a display label after a bar
(``street|街道``), then one row per record. Each column's type is inferred from its
values (integer, real, timestamp ``YYYY-MM-DD HH:MM:SS``, else text); an empty cell is
NULL. Every cadre then works on the same data (no variants), so SQL tasks are only
checked on it.
"""

import csv
import io
import re
from datetime import datetime

from app.domain.course_files.spec import DatasetTable, Problem
from app.domain.scenarios.base import TIMESTAMP_FORMAT, is_safe_identifier

MAX_CSV_BYTES = 4 * 1024 * 1024
MAX_ROWS = 50_000
MAX_COLUMNS = 40
MAX_LABEL = 40
_INTEGER = re.compile(r"[-+]?(0|[1-9]\d{0,17})")  # a leading zero keeps it text (phones)
_REAL = re.compile(r"[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?")
_TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}")


def parse_csv_table(name: str, label: str, data: bytes, file: str
                    ) -> tuple[DatasetTable | None, list[Problem]]:
    """The table in a CSV file, or the problems that stop it (row and column named)."""
    if len(data) > MAX_CSV_BYTES:
        limit = MAX_CSV_BYTES // (1024 * 1024)
        return None, [Problem(file, None, f"file is {len(data)} bytes; a dataset may have at "
                                          f"most {limit} MiB", "csv_too_large",
                              (("max_mib", limit),))]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        return None, [Problem(file, line, "not UTF-8 text; save the CSV as UTF-8",
                              "csv_not_utf8")]
    try:
        records = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as error:
        return None, [Problem(file, None, f"not a readable CSV file: {error}", "csv_unreadable")]
    if not records or not any(cell.strip() for cell in records[0]):
        return None, [Problem(file, 1, "the first row must name the columns", "csv_no_header")]
    header, body = records[0], [row for row in records[1:] if any(cell.strip() for cell in row)]
    problems: list[Problem] = []
    names = _header(header, file, problems)
    if len(body) > MAX_ROWS:
        problems.append(Problem(file, None, f"{len(body)} rows; at most {MAX_ROWS}",
                                "csv_too_many_rows", (("rows", len(body)), ("max", MAX_ROWS))))
    for index, row in enumerate(records[1:], start=2):
        if any(cell.strip() for cell in row) and len(row) != len(header):
            problems.append(Problem(file, index, f"row has {len(row)} values; the header "
                                                 f"has {len(header)} columns", "csv_row_width",
                                    (("values", len(row)), ("columns", len(header)))))
            if len(problems) >= 20:
                break
    if problems:
        return None, problems
    types = [_column_type([row[i] for row in body]) for i in range(len(header))]
    rows = tuple(tuple(_value(row[i], types[i]) for i in range(len(header))) for row in body)
    columns = tuple((column, kind, column_label)
                    for (column, column_label), kind in zip(names, types, strict=True))
    return DatasetTable(name=name, label=label, file=file.rsplit("/", 1)[-1], columns=columns,
                        rows=rows), []


def _header(header: list[str], file: str, problems: list[Problem]) -> list[tuple[str, str]]:
    if len(header) > MAX_COLUMNS:
        problems.append(Problem(file, 1, f"{len(header)} columns; at most {MAX_COLUMNS}",
                                "csv_too_many_columns",
                                (("columns", len(header)), ("max", MAX_COLUMNS))))
    names: list[tuple[str, str]] = []
    for position, cell in enumerate(header, start=1):
        column, _bar, column_label = cell.strip().partition("|")
        column, column_label = column.strip(), column_label.strip() or column.strip()
        if not is_safe_identifier(column):
            problems.append(Problem(file, 1, f"column {position} {column!r}: a column name uses "
                                             "a-z, 0-9 and _, starts with a letter and is not "
                                             "an SQL keyword (write a label after |, e.g. "
                                             "street|街道)", "csv_bad_column",
                                    (("position", position), ("column", column))))
        elif column in {name for name, _ in names}:
            problems.append(Problem(file, 1, f"column {column!r} is named twice",
                                    "csv_column_twice", (("column", column),)))
        elif len(column_label) > MAX_LABEL:
            problems.append(Problem(file, 1, f"label of column {column!r} is longer than "
                                             f"{MAX_LABEL} characters", "csv_label_too_long",
                                    (("column", column), ("max", MAX_LABEL))))
        names.append((column, column_label))
    return names


def _column_type(values: list[str]) -> str:
    present = [value.strip() for value in values if value.strip()]
    if not present:
        return "text"
    if all(_INTEGER.fullmatch(value) for value in present):
        return "integer"
    if all(_REAL.fullmatch(value) for value in present):
        return "real"
    if all(_TIMESTAMP.fullmatch(value) and _parses(value) for value in present):
        return "timestamp"
    return "text"


def _parses(value: str) -> bool:
    try:
        datetime.strptime(value, TIMESTAMP_FORMAT)
    except ValueError:
        return False
    return True


def _value(cell: str, kind: str):
    stripped = cell.strip()
    if not stripped:
        return None
    if kind == "integer":
        return int(stripped)
    if kind == "real":
        return float(stripped)
    return stripped if kind == "timestamp" else cell


def csv_bytes(table: DatasetTable) -> bytes:
    """The table as the CSV it was read from (values written so types infer the same)."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([name if label == name else f"{name}|{label}"
                     for name, _kind, label in table.columns])
    for row in table.rows:
        writer.writerow(["" if value is None else repr(value) if isinstance(value, float)
                         else value for value in row])
    return out.getvalue().encode("utf-8")
