"""The machine's Redis for the tests that need a real one (they skip without it)."""

LOCAL_REDIS_URL = "redis://127.0.0.1:6379/0"


def local_redis():
    """A connection to the Redis at 127.0.0.1:6379, or None when none answers."""
    try:
        from redis import Redis

        connection = Redis.from_url(LOCAL_REDIS_URL, socket_connect_timeout=1)
        connection.ping()
        return connection
    except Exception:  # noqa: BLE001 - any failure means: no Redis here
        return None
