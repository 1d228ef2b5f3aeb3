"""Starting an exercise attempt: build the cadre's variant (and the hidden one for SQL tasks)
and compute every task's expected answer, for each shipped exercise at 5,000 rows.
Prints the median and max of 7 seeds per exercise, with a cold cache each time; the aim
is < 200 ms.

Run: .venv/bin/python benchmarks/exercise_variant.py [--rows 5000]
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.domain.course_files.exercises import parse_exercise_file  # noqa: E402
from app.domain.vocabulary import QuizKind  # noqa: E402
from app.models import Exercise, Quiz  # noqa: E402
from app.services.exercises.datasets import clear_cache  # noqa: E402
from app.services.exercises.tasks import build_exercise_snapshot  # noqa: E402


def shipped_exercises(rows: int) -> list[Quiz]:
    """The course folders' exercises as unsaved quizzes, with `rows` where the scenario has it."""
    quizzes = []
    for path in sorted((ROOT / "courses").glob("*/exercises/*.yaml")):
        course = path.parent.parent.name
        spec, problems = parse_exercise_file(path.read_text(encoding="utf-8"), str(path),
                                             course_code=course, slug=path.stem, data_files={})
        if problems:
            raise SystemExit(f"{path}: {problems[0]}")
        params = dict(spec.params)
        if "rows" in params or spec.scenario in ("grid_incidents", "one_thing_services",
                                                 "health_data_sharing", "muck_trucks"):
            params["rows"] = rows
        quiz = Quiz(id=len(quizzes) + 1, code=spec.code, kind=QuizKind.EXERCISE, version=1)
        quiz.exercise = Exercise(quiz_id=quiz.id, brief=spec.brief, scenario_key=spec.scenario,
                                 scenario_params=params, dataset=None,
                                 tasks=[task.as_dict() for task in spec.tasks])
        quizzes.append(quiz)
    return quizzes


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=5000)
    args = parser.parse_args()
    for quiz in shipped_exercises(args.rows):
        timings = []
        for seed in range(7):
            clear_cache()
            started = time.perf_counter()
            build_exercise_snapshot(quiz, 1000 + seed)
            timings.append(1000 * (time.perf_counter() - started))
        tasks = len(quiz.exercise.tasks)
        print(f"{quiz.code:28} {quiz.exercise.scenario_key:20} {tasks} tasks: "
              f"median {statistics.median(timings):4.0f} ms, max {max(timings):4.0f} ms")


if __name__ == "__main__":
    main()
