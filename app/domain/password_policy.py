"""What makes a new password acceptable."""

MIN_PASSWORD_LENGTH = 8


def password_problems(password: str, *, username: str = "") -> list[str]:
    """Plain reasons a new password is too weak (empty when acceptable)."""
    problems = []
    if len(password) < MIN_PASSWORD_LENGTH:
        problems.append("too_short")
    classes = sum(
        [any(c.islower() for c in password), any(c.isupper() for c in password),
         any(c.isdigit() for c in password), any(not c.isalnum() for c in password)]
    )
    if classes < 3:
        problems.append("too_simple")
    if len(username) >= 3 and username.lower() in password.lower():
        problems.append("contains_username")
    return problems
