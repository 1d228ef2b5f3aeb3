"""Password hashing with argon2id; parameters come from the app config."""

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app


def _hasher() -> PasswordHasher:
    config = current_app.config
    return PasswordHasher(
        time_cost=config["ARGON2_TIME_COST"],
        memory_cost=config["ARGON2_MEMORY_COST"],
        parallelism=config["ARGON2_PARALLELISM"],
    )


def hash_password(password: str) -> str:
    return _hasher().hash(password)


# One-time passwords are 12 random characters from a 51-symbol alphabet (about 68 bits), so
# guessing them is hopeless whatever the hash costs; argon2id's memory hardness protects the
# low-entropy passwords people choose. A light argon2id (0.2 ms instead of 0.1-0.4 s) lets an
# import create 50,000 accounts within one request; verify_password reads the parameters
# from the hash, and the owner's own password, chosen at first sign-in, gets the full cost.
ONE_TIME_HASHER = PasswordHasher(time_cost=1, memory_cost=256, parallelism=1)


def hash_one_time_password(password: str) -> str:
    return ONE_TIME_HASHER.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def password_needs_rehash(password_hash: str) -> bool:
    """True when the hash was made with other parameters than the configured ones."""
    try:
        return _hasher().check_needs_rehash(password_hash)
    except InvalidHashError:
        return True


def burn_verification_time(password: str) -> None:
    """Spend the time a real verification takes, so unknown users are not revealed by timing."""
    verify_password(_dummy_hash(), password)


_DUMMY_HASHES: dict[tuple, str] = {}


def _dummy_hash() -> str:
    hasher = _hasher()
    key = (hasher.time_cost, hasher.memory_cost, hasher.parallelism)
    if key not in _DUMMY_HASHES:
        _DUMMY_HASHES[key] = hasher.hash("not-a-real-password")
    return _DUMMY_HASHES[key]
