"""YAML with line numbers: values as PyYAML builds them, plus where each key and item sits.

PyYAML's plain load forgets positions; composing the node tree first keeps the marks,
so every problem can name the line an author has to fix.
"""

from dataclasses import dataclass, field

import yaml

from app.domain.course_files.spec import Problem


class YamlSyntaxError(Exception):
    def __init__(self, problem: Problem):
        super().__init__(str(problem))
        self.problem = problem


def load_located(text: str, file: str, first_line: int = 1) -> tuple[object, yaml.Node | None]:
    """(value, node) of a single YAML document; first_line is where the text starts in file."""
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        value = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as error:
        raise YamlSyntaxError(_syntax_problem(error, file, first_line)) from error
    except yaml.YAMLError as error:
        raise YamlSyntaxError(Problem(file, None, f"invalid YAML: {error}")) from error
    finally:
        loader.dispose()
    return value, node


def _syntax_problem(error: yaml.MarkedYAMLError, file: str, first_line: int) -> Problem:
    """The line where PyYAML gave up, naming where the unfinished construct began."""
    mark = error.problem_mark or error.context_mark
    line = first_line + mark.line if mark is not None else None
    message = f"invalid YAML: {error.problem or error.context or 'cannot be read'}"
    context = error.context_mark
    if error.problem and error.context and context is not None and context.line != mark.line:
        message += f" ({error.context} started on line {first_line + context.line})"
    return Problem(file, line, message)


@dataclass
class Located:
    """A YAML mapping's keys with their lines, and the nodes of their values."""

    start_line: int
    key_lines: dict[str, int] = field(default_factory=dict)
    value_nodes: dict[str, yaml.Node] = field(default_factory=dict)
    #: (key, line) of keys given a second time; YAML silently keeps the last one.
    duplicates: list[tuple[str, int]] = field(default_factory=list)
    first_line: int = 1

    @classmethod
    def of(cls, node: yaml.MappingNode, first_line: int = 1) -> "Located":
        located = cls(start_line=first_line + node.start_mark.line, first_line=first_line)
        for key_node, value_node in node.value:
            key = str(key_node.value)
            line = first_line + key_node.start_mark.line
            if key in located.key_lines:
                located.duplicates.append((key, line))
                continue
            located.key_lines[key] = line
            located.value_nodes[key] = value_node
        return located

    def line(self, key: str) -> int:
        return self.key_lines.get(key, self.start_line)

    def item_lines(self, key: str) -> list[int]:
        """Line of each item of a sequence value (the key's line for a non-sequence)."""
        node = self.value_nodes.get(key)
        if not isinstance(node, yaml.SequenceNode):
            return []
        return [self.first_line + item.start_mark.line for item in node.value]

    def nested(self, key: str) -> "Located | None":
        node = self.value_nodes.get(key)
        if not isinstance(node, yaml.MappingNode):
            return None
        return Located.of(node, self.first_line)


def describe(value: object) -> str:
    """How a YAML value reads to an author, for "must be X, got Y" messages."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"true/false ({str(value).lower()})"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the text {value!r}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return f"a {type(value).__name__}"
