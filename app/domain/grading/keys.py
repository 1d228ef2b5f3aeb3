"""A corrected key typed by a trainer, turned into a new spec for the question type."""

from app.domain.grading.normalize import parse_number


def spec_with_new_key(type_name: str, spec: dict, typed: str) -> dict:
    """The spec with its key replaced; raises ValueError with a reason when the text is unusable."""
    typed = typed.strip()
    if not typed:
        raise ValueError("type the corrected key")
    if type_name in ("single", "multiple"):
        letters = [part.strip().upper() for part in typed.replace("，", ",").split(",")]
        indexes = [ord(letter) - ord("A") for letter in letters if len(letter) == 1]
        if len(indexes) != len(letters):
            raise ValueError("name options by letter, e.g. B or A,C")
        return {**spec, "answer": indexes[0] if type_name == "single" else sorted(indexes)}
    if type_name == "truefalse":
        if typed.lower() not in ("true", "false"):
            raise ValueError("type true or false")
        return {**spec, "answer": typed.lower() == "true"}
    if type_name == "numeric":
        return {**spec, "answer": parse_number(typed, spec.get("unit"))}
    if type_name == "fill":
        answers = [a.strip() for a in typed.replace("；", ";").split(";") if a.strip()]
        return {**spec, "answers": answers}
    raise ValueError(f"the key of a {type_name} question cannot be changed here")
