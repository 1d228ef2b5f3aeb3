import pytest

from app.domain.password_policy import password_problems


@pytest.mark.parametrize(
    ("password", "problems"),
    [
        ("Demo@2026", []),
        ("Ab1!", ["too_short"]),
        ("alllowercase", ["too_simple"]),
        ("lower1234", ["too_simple"]),
        ("Lower12345", []),
        ("CQ100001@abc", ["contains_username"]),
    ],
)
def test_password_problems(password, problems):
    assert password_problems(password, username="cq100001") == problems
