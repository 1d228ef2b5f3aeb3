"""Running one piece of work in several threads at the same moment, each with its own
connection and transaction: how the tests prove that a double click, two tabs or two
workers change the database once."""

import threading
from collections.abc import Callable

from app.extensions import db


def run_at_once(app, work: Callable[[], object], *, threads: int) -> tuple[list, list]:
    """Call ``work`` in ``threads`` threads released together (inside an app context each,
    committing what it did); returns what the calls returned and the errors they raised."""
    outcomes, errors = [], []
    barrier = threading.Barrier(threads, timeout=30)

    def run():
        with app.app_context():
            try:
                prepared = work()
                barrier.wait()
                outcomes.append(prepared() if callable(prepared) else prepared)
                db.session.commit()
            except Exception as error:  # noqa: BLE001 - collected and asserted by the test
                errors.append(error)
                db.session.rollback()

    started = [threading.Thread(target=run) for _ in range(threads)]
    for thread in started:
        thread.start()
    for thread in started:
        thread.join(timeout=90)
    return outcomes, errors
