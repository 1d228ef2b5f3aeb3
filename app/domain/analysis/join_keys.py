"""Which columns could join two tables: the builder proposes pairs with the same name and a
compatible type, and the service measures how many of the first table's values the second
table has (a key whose values do not match, e.g. plates written with spaces, shows a low
share, which is worth knowing before joining)."""

from dataclasses import dataclass

from app.domain.analysis.model import Schema
from app.domain.query_builder import NUMERIC_TYPES as NUMERIC
from app.domain.query_builder import quote_identifier


@dataclass(frozen=True)
class JoinCandidate:
    table: str  # the main table
    other: str  # the table to join
    column: str  # the same name in both


def join_candidates(schema: Schema) -> list[JoinCandidate]:
    """Every (main table, other table, shared column) of a compatible type, by name."""
    found = []
    for table, columns in schema.items():
        kinds = {name: kind.upper() for name, kind in columns}
        for other, other_columns in schema.items():
            if other == table:
                continue
            for name, kind in other_columns:
                if name in kinds and (kinds[name] in NUMERIC) == (kind.upper() in NUMERIC):
                    found.append(JoinCandidate(table, other, name))
    return found


def match_share_sql(candidate: JoinCandidate) -> str:
    """(rows of the main table with a value, those whose value the other table has)."""
    table, other = quote_identifier(candidate.table), quote_identifier(candidate.other)
    column = quote_identifier(candidate.column)
    return (f"SELECT count({table}.{column}), count(k.v) FROM {table} "  # noqa: S608 - names
            f"LEFT JOIN (SELECT DISTINCT {column} AS v FROM {other}) AS k "
            f"ON k.v = {table}.{column}")
