from sqlalchemy import func, select

from app.domain.learning import local_year
from app.domain.vocabulary import RoleName
from app.models.certificate import Certificate
from app.models.types import utcnow
from app.services.certificates import revoke_certificate
from app.services.certificates.lookup import code_for
from tests.factories import make_certificate, make_course, make_user


def test_verify_prints_the_status(runner, tree, db):
    certificate = make_certificate(make_user(unit=tree["jiefangbei"], name="张三明"))
    code = code_for(certificate)
    db.session.commit()
    result = runner.invoke(args=["certificates", "verify", certificate.serial, code.lower()])
    assert result.exit_code == 0, result.output
    assert "valid" in result.output and "张*明" in result.output
    result = runner.invoke(args=["certificates", "verify", certificate.serial, "A" * 16])
    assert result.exit_code == 1 and "not found" in result.output
    result = runner.invoke(args=["certificates", "verify", "nonsense", code])
    assert result.exit_code == 1 and "not found" in result.output
    revoke_certificate(certificate, "理由", actor=make_user(unit=tree["city"],
                                                          roles=[RoleName.ADMIN]))
    db.session.commit()
    result = runner.invoke(args=["certificates", "verify", certificate.serial, code])
    assert result.exit_code == 0 and "revoked on" in result.output and "理由" not in result.output


def test_issue_missing_issues_once_and_commits(runner, tree, db):
    cadre = make_user(unit=tree["jiefangbei"])
    course = make_course("CT101", lessons=1)
    course.core = True
    make_certificate(cadre, course)
    db.session.execute(Certificate.__table__.delete())  # completions from before the feature
    db.session.commit()
    result = runner.invoke(args=["certificates", "issue-missing"])
    assert result.exit_code == 0, result.output
    assert "2 certificate(s) issued." in result.output
    db.session.rollback()  # what was issued is committed
    assert db.session.scalar(select(func.count(Certificate.id))) == 2
    result = runner.invoke(args=["certificates", "issue-missing",
                                 "--year", str(local_year(utcnow()))])
    assert result.exit_code == 0 and "0 certificate(s) issued." in result.output
    result = runner.invoke(args=["certificates", "issue-missing", "--year", "1900"])
    assert result.exit_code != 0
