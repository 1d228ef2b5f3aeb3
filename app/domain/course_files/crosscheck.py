"""Checks across courses: prerequisites must exist and must not go round in a circle."""

from collections.abc import Mapping

from app.domain.course_files.spec import CourseSpec, Problem


def check_prerequisites(specs: Mapping[str, CourseSpec], known_codes: set[str],
                        existing_edges: Mapping[str, set[str]] | None = None) -> list[Problem]:
    """Problems with the prerequisites of the courses being imported.

    `known_codes` are the courses already in the database (and any other folder of this
    import); `existing_edges` the database's prerequisites, code -> codes. An imported
    course's own list replaces its stored one, as the import will.
    """
    problems = []
    for code in sorted(specs):
        spec = specs[code]
        for prerequisite in spec.prerequisites:
            if prerequisite not in specs and prerequisite not in known_codes:
                problems.append(Problem(spec.source_file, spec.prerequisite_lines.get(
                    prerequisite), f"prerequisite {prerequisite} is neither in this import "
                                   "nor in the database"))
    graph = {code: set(codes) for code, codes in (existing_edges or {}).items()}
    graph.update({code: set(spec.prerequisites) for code, spec in specs.items()})
    for cycle in find_cycles(graph, starts=sorted(specs)):
        # A cycle among stored courses alone is not this import's doing.
        if any(code in specs for code in cycle):
            problems.append(_cycle_problem(cycle, specs))
    return problems


def _cycle_problem(cycle: list[str], specs: Mapping[str, CourseSpec]) -> Problem:
    # Report on the first imported course of the cycle, at the entry that leads onward,
    # so the author is sent to a line they can change.
    position = next(i for i, code in enumerate(cycle) if code in specs)
    rotated = cycle[position:] + cycle[:position]
    spec = specs[rotated[0]]
    path = " → ".join([*rotated, rotated[0]])
    return Problem(spec.source_file, spec.prerequisite_lines.get(rotated[1]),
                   f"prerequisite cycle {path}")


def find_cycles(graph: Mapping[str, set[str]], starts: list[str]) -> list[list[str]]:
    """One cycle (as a list of codes, first code not repeated) per back edge met from starts.

    Every cycle reachable from `starts` shows up at least once; the same cycle reached
    from another start is reported once. Iterative, so long chains cannot hit the
    recursion limit.
    """
    cycles: list[list[str]] = []
    seen_cycles: set[frozenset[str]] = set()
    done: set[str] = set()
    for start in starts:
        if start in done:
            continue
        path: list[str] = [start]
        on_path = {start}
        pending = [iter(sorted(graph.get(start, ())))]
        while pending:
            target = next(pending[-1], None)
            if target is None:
                done.add(path[-1])
                on_path.discard(path.pop())
                pending.pop()
            elif target in on_path:
                cycle = path[path.index(target):]
                if frozenset(cycle) not in seen_cycles:
                    seen_cycles.add(frozenset(cycle))
                    cycles.append(_smallest_first(cycle))
            elif target not in done:
                path.append(target)
                on_path.add(target)
                pending.append(iter(sorted(graph.get(target, ()))))
    return cycles


def _smallest_first(cycle: list[str]) -> list[str]:
    index = cycle.index(min(cycle))
    return cycle[index:] + cycle[:index]
