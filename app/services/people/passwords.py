"""Password hashing with argon2id; parameters come from the app config."""

from argon2 import PasswordHasher, extract_parameters
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


def verify_sign_in(password_hash: str | None, password: str) -> bool:
    """Check a sign-in password at the same cost whatever the account (None: no account).

    Every call verifies exactly once at the configured cost and once at the one-time cost,
    against the account's hash where it has that kind and a dummy otherwise, so an unknown
    user, a wrong password and an account still holding its light one-time hash all take
    the same time.
    """
    one_time = password_hash is not None and is_one_time_hash(password_hash)
    full_ok = verify_password(password_hash if password_hash and not one_time
                              else _dummy_hash(), password)
    light_ok = verify_password(password_hash if one_time else _DUMMY_ONE_TIME_HASH, password)
    if password_hash is None:
        return False
    return light_ok if one_time else full_ok


def is_one_time_hash(password_hash: str) -> bool:
    """True for a hash made by hash_one_time_password (read from its parameters)."""
    try:
        parameters = extract_parameters(password_hash)
    except InvalidHashError:
        return False
    return (parameters.time_cost, parameters.memory_cost, parameters.parallelism) == (
        ONE_TIME_HASHER.time_cost, ONE_TIME_HASHER.memory_cost, ONE_TIME_HASHER.parallelism)


_DUMMY_HASHES: dict[tuple, str] = {}
_DUMMY_ONE_TIME_HASH = ONE_TIME_HASHER.hash("not-a-real-password")


def _dummy_hash() -> str:
    hasher = _hasher()
    key = (hasher.time_cost, hasher.memory_cost, hasher.parallelism)
    if key not in _DUMMY_HASHES:
        _DUMMY_HASHES[key] = hasher.hash("not-a-real-password")
    return _DUMMY_HASHES[key]
