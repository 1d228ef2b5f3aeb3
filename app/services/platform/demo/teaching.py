"""The demo trainer's share of the year: grading essays and deciding appeals.

Through the same use cases as the trainer's pages (grade_essay, reject_appeal,
uphold_appeal), so completions, hours and regrades follow as they would. Last year's work is
all done; this year the trainer is TRAINER_BACKLOG_DAYS behind, so the essay queue and the
appeals page have the last weeks' work waiting.
"""

from datetime import timedelta

from app.domain.demo_study import TRAINER_BACKLOG_DAYS, chance, essay_points
from app.domain.vocabulary import AppealRemedy
from app.models import User
from app.models.types import utcnow
from app.services.assessment.appeals import list_open_appeals, reject_appeal, uphold_appeal
from app.services.assessment.grading import grade_essay, list_essays_to_grade

#: Of the appeals decided, the share upheld (the cadre's answer accepted).
UPHELD_SHARE = 0.25
ESSAY_FEEDBACK = ("结构完整，现状数据和改革措施具体，指标设计考虑了防止“做”数据，很好。",
                  "措施方向正确，但现状的四个数缺少依据，建议到窗口实地跟办后补充。",
                  "对风险和容错的分析较充分，流程再造部分可以再细化到每个环节。")
REJECTION = ("参考答案按题目所述的统计口径计算，你的结果与该口径不符，维持原评分。"
             "可以对照解析和数据页按步骤复核。")
ACCEPTANCE = "复核后认为你的理解符合题意，本题按满分计。"


def grade_waiting_essays(trainer: User, *, everything: bool) -> int:
    """Grade the essays waiting (all, or those the trainer has got to); returns how many."""
    graded, backlog = 0, _backlog_start()
    for essay in list_essays_to_grade(actor=trainer):
        username = essay.attempt.user.username
        if not everything and essay.attempt.submitted_at >= backlog:
            continue
        feedback = ESSAY_FEEDBACK[int(chance(username + ":feedback") * len(ESSAY_FEEDBACK))]
        grade_essay(essay.answer, points=str(essay_points(username, essay.item["points"])),
                    feedback=feedback, actor=trainer)
        graded += 1
    return graded


def decide_open_appeals(trainer: User, *, everything: bool) -> int:
    """Decide the open appeals (all, or those the trainer has got to); returns how many."""
    decided, backlog = 0, _backlog_start()
    for appeal in list_open_appeals(actor=trainer):
        username = appeal.attempt.user.username
        if not everything and appeal.created_at >= backlog:
            continue
        if chance(f"{username}:{appeal.id}:upheld") < UPHELD_SHARE:
            uphold_appeal(appeal, AppealRemedy.ACCEPT_ANSWER, ACCEPTANCE, actor=trainer)
        else:
            reject_appeal(appeal, REJECTION, actor=trainer)
        decided += 1
    return decided


def _backlog_start():
    return utcnow() - timedelta(days=TRAINER_BACKLOG_DAYS)
