"""What the benchmark reads from the database: the cadres to sign in, what each may open,
and the data set's size. Read-only; every write goes through the app over HTTP."""

from dataclasses import dataclass, field

from sqlalchemy import bindparam, create_engine, text

from app.domain.assessment import annual_tier_for_rank

COUNTED_TABLES = ("user_account", "enrollment", "lesson_progress", "attempt", "attempt_answer")

CADRES = text("""
SELECT u.id, u.username, u.rank FROM user_account u
JOIN user_role r ON r.user_id = u.id AND r.name = 'cadre'
WHERE u.active AND NOT u.must_change_password
  AND NOT EXISTS (SELECT 1 FROM user_role o WHERE o.user_id = u.id AND o.name <> 'cadre')
  AND EXISTS (SELECT 1 FROM enrollment e WHERE e.user_id = u.id)
  AND EXISTS (SELECT 1 FROM attempt a WHERE a.user_id = u.id)
ORDER BY random() LIMIT :n
""")
COURSES = text("""
SELECT e.user_id, c.id, c.code, (SELECT count(*) FROM lesson l WHERE l.course_id = c.id)
FROM enrollment e JOIN course c ON c.id = e.course_id
WHERE e.user_id IN :ids ORDER BY e.user_id, c.code
""").bindparams(bindparam("ids", expanding=True))
QUIZZES = text("""
SELECT id, kind, course_id, tier, max_attempts FROM quiz
WHERE kind IN ('course', 'annual')
  AND (opens_at IS NULL OR opens_at <= CURRENT_TIMESTAMP)
  AND (closes_at IS NULL OR closes_at > CURRENT_TIMESTAMP)
""")
USED = text("""
SELECT user_id, quiz_id, count(*), sum(CASE WHEN state = 'in_progress' THEN 1 ELSE 0 END)
FROM attempt WHERE user_id IN :ids GROUP BY user_id, quiz_id
""").bindparams(bindparam("ids", expanding=True))


@dataclass
class Cadre:
    id: int
    username: str
    rank: str
    courses: list[tuple[str, int]] = field(default_factory=list)  # (code, lessons)
    quiz_ids: list[int] = field(default_factory=list)  # course quizzes of enrolled courses
    startable: list[int] = field(default_factory=list)  # quizzes an attempt may start (or resume)


def choose_cadres(url: str, n: int) -> list[Cadre]:
    """``n`` random active cadres with enrollments and quiz activity, with what they may open."""
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            cadres = {row[0]: Cadre(*row) for row in connection.execute(CADRES, {"n": n})}
            if not cadres:
                return []
            ids = list(cadres)
            course_ids: dict[int, set[int]] = {i: set() for i in ids}
            for user_id, course_id, code, lessons in connection.execute(COURSES, {"ids": ids}):
                cadres[user_id].courses.append((code, lessons))
                course_ids[user_id].add(course_id)
            quizzes = list(connection.execute(QUIZZES))
            used = {(u, q): (count, open_) for u, q, count, open_ in
                    connection.execute(USED, {"ids": ids})}
    finally:
        engine.dispose()
    for cadre in cadres.values():
        tier = annual_tier_for_rank(cadre.rank)
        for quiz_id, kind, course_id, quiz_tier, max_attempts in quizzes:
            if kind == "course" and course_id not in course_ids[cadre.id]:
                continue
            if kind == "annual" and quiz_tier != tier:
                continue
            if kind == "course":
                cadre.quiz_ids.append(quiz_id)
            count, open_ = used.get((cadre.id, quiz_id), (0, 0))
            if open_ or max_attempts is None or count < max_attempts:
                cadre.startable.append(quiz_id)
    return [c for c in cadres.values() if c.courses and c.quiz_ids]


def describe_dataset(url: str) -> dict[str, str]:
    """The database server's version and the row counts the README table quotes."""
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            if engine.dialect.name == "postgresql":
                version = "PostgreSQL " + connection.execute(text("SHOW server_version")).scalar()
            else:
                version = f"{engine.dialect.name} " + str(engine.dialect.server_version_info)
            counts = {table: connection.execute(text(f"SELECT count(*) FROM {table}")).scalar()  # noqa: S608
                      for table in COUNTED_TABLES}
    finally:
        engine.dispose()
    return {"database": version, **{t: f"{c:,}" for t, c in counts.items()}}
