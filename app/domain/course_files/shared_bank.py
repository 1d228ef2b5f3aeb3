"""The shared question bank, courses/shared-bank/: one <area>.yaml per competency area.

Its questions belong to no course: annual tests and any course quiz may use them. Ids
are SB-<AREA>-..., and every question of data.yaml is a data question.
"""

from collections.abc import Mapping

from app.domain.course_files.parse import decode_text
from app.domain.course_files.questions import parse_question_file
from app.domain.course_files.spec import IGNORED_FILES, Problem, SharedBankSpec
from app.domain.vocabulary import CompetencyArea

AREA_FILES = {f"{area.value}.yaml": area for area in CompetencyArea}
UNEXPECTED = ("unexpected file; the shared bank holds one file per competency area: "
              f"{', '.join(AREA_FILES)} (and README.md)")


def shared_id_prefix(area: CompetencyArea) -> str:
    return f"SB-{area.value.upper()}-"


def parse_shared_bank(files: Mapping[str, bytes], *,
                      prefix: str) -> SharedBankSpec | list[Problem]:
    """{relative posix path: bytes} of the folder; problems name files f"{prefix}/{path}"."""
    problems: list[Problem] = []
    questions = []
    for path in sorted(files):
        file = f"{prefix}/{path}"
        if path in IGNORED_FILES:
            continue
        area = AREA_FILES.get(path)
        if area is None:
            problems.append(Problem(file, None, UNEXPECTED))
            continue
        text = decode_text(files[path], file, problems)
        if text is None:
            continue
        found, found_problems = parse_question_file(text, file, id_prefix=shared_id_prefix(area),
                                                    area=area)
        questions.extend(found)
        problems.extend(found_problems)
    if problems:
        return problems
    return SharedBankSpec(questions=sorted(questions, key=lambda question: question.key),
                          source=prefix)
