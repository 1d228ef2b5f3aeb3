"""Typed reads of a YAML mapping's values, each bad value becoming a located Problem."""

import enum
from decimal import Decimal

from app.domain.course_files.spec import Problem, allowed
from app.domain.course_files.yaml_nodes import Located, describe

#: How a list key names one of its items in messages ("unknown area 'x'").
SINGULAR = {"areas": "area", "ranks": "rank", "categories": "category"}

_ABSENT = object()


class FieldChecker:
    """Reads one mapping. Absent keys read as None (missing ones are reported by keys())."""

    def __init__(self, file: str, located: Located, data: dict, problems=None):
        self.file = file
        self.located = located
        self.data = data
        self.problems: list[Problem] = [] if problems is None else problems

    def add(self, line: int | None, message: str) -> None:
        self.problems.append(Problem(self.file, line, message))

    def keys(self, known: tuple[str, ...], required: tuple[str, ...], where: str = "") -> None:
        for key, line in self.located.duplicates:
            self.add(line, f"duplicate key '{where}{key}'")
        for key, line in self.located.key_lines.items():
            if key not in known:
                self.add(line, f"unknown key '{where}{key}' (allowed: {', '.join(known)})")
        for key in required:
            if key not in self.located.key_lines:
                self.add(self.located.start_line, f"missing required key '{where}{key}'")

    def get(self, key: str):
        """The raw value, or _ABSENT when the key is not there."""
        if key not in self.located.key_lines:
            return _ABSENT
        return self.data.get(key)

    def line(self, key: str) -> int:
        return self.located.line(key)

    def has(self, key: str) -> bool:
        return key in self.located.key_lines

    def text(self, key: str, max_length: int, *, allow_empty: bool) -> str | None:
        value = self.get(key)
        if value is _ABSENT:
            return None
        if not isinstance(value, str):
            hint = " (put it in quotes)" if isinstance(value, int | float | bool) else ""
            self.add(self.line(key), f"{key} must be text, got {describe(value)}{hint}")
            return None
        value = value.strip()
        if not value and not allow_empty:
            self.add(self.line(key), f"{key} must not be empty")
        elif len(value) > max_length:
            self.add(self.line(key), f"{key} is {len(value)} characters long; "
                                     f"at most {max_length}")
        return value

    def whole_number(self, key: str, maximum: int, minimum: int = 1) -> int | None:
        value = self.get(key)
        if value is _ABSENT:
            return None
        if isinstance(value, bool) or not isinstance(value, int) \
                or not minimum <= value <= maximum:
            self.add(self.line(key), f"{key} must be a whole number from {minimum} to "
                                     f"{maximum}, got {describe(value)}")
            return None
        return value

    def boolean(self, key: str) -> bool | None:
        value = self.get(key)
        if value is _ABSENT:
            return None
        if not isinstance(value, bool):
            self.add(self.line(key), f"{key} must be true or false, got {describe(value)}")
            return None
        return value

    def half_steps(self, key: str, maximum: Decimal) -> Decimal | None:
        """A positive number in steps of 0.5, such as credit hours."""
        value = self.get(key)
        if value is _ABSENT:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.add(self.line(key), f"{key} must be a number such as 4 or 4.5, "
                                     f"got {describe(value)}")
            return None
        number = Decimal(str(value))
        if not number.is_finite() or not 0 < number <= maximum or (number * 2) % 1 != 0:
            self.add(self.line(key), f"{key} must be more than 0, at most {maximum} and a "
                                     f"multiple of 0.5, got {value}")
            return None
        return number

    def choice(self, key: str, values: type[enum.StrEnum]):
        value = self.get(key)
        if value is _ABSENT:
            return None
        if isinstance(value, str) and value in values._value2member_map_:
            return values(value)
        self._not_allowed(self.line(key), key, value, values)
        return None

    def choices(self, key: str, values: type[enum.StrEnum], *, at_least_one: bool = False):
        """A list of distinct enum values; each bad item is reported on its own line."""
        items = self.get(key)
        if items is _ABSENT:
            return []
        if not isinstance(items, list):
            example = next(iter(values)).value
            self.add(self.line(key), f"{key} must be a list such as [{example}], "
                                     f"got {describe(items)}")
            return []
        if at_least_one and not items:
            self.add(self.line(key), f"{key} must name at least one of: {allowed(values)}")
        label = SINGULAR.get(key, key)
        chosen = []
        for item, line in zip(items, self.located.item_lines(key), strict=True):
            if not isinstance(item, str) or item not in values._value2member_map_:
                self._not_allowed(line, label, item, values)
            elif values(item) in chosen:
                self.add(line, f"{label} {item} is listed twice")
            else:
                chosen.append(values(item))
        return chosen

    def _not_allowed(self, line: int, label: str, value, values) -> None:
        if isinstance(value, str):
            self.add(line, f"unknown {label} '{value}'; allowed: {allowed(values)}")
        else:
            self.add(line, f"{label} must be one of: {allowed(values)}, got {describe(value)}")
