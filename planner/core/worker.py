"""The background worker: Huey's consumer, woken through Huey's queue, delivering the outbox.

The outbox rows are the source of truth. The queue only says "look now": a commit that queued
a message enqueues a delivery run, a failed send schedules the next run for its retry time, and
a sweep every minute runs delivery anyway, so a message whose wake-up the queue lost (a broker
outage, a restart) is sent a minute late, never lost. The same sweep is the worker's heartbeat.

Huey keeps its queue in Redis when REDIS_URL is set and in a SQLite file in the instance folder
otherwise, so the embedded default needs no server.
"""

import functools
import logging
import os
import socket
import sqlite3
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import redis
from flask import Flask, current_app
from flask_babel import lazy_gettext as _l
from huey import MemoryHuey, RedisHuey, SqliteHuey, crontab
from huey.api import Huey
from huey.exceptions import HueyException
from sqlalchemy import String, delete, func, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Mapped, mapped_column

from planner.core import outbox
from planner.core.database import UTCDateTime, db, utcnow

log = logging.getLogger("planner.core.worker")

HEARTBEAT_LATE = timedelta(minutes=3)
QUEUE_FAULTS = (redis.RedisError, OSError, sqlite3.Error, HueyException)


class WorkerHeartbeat(db.Model):
    """The last sign of life of each worker process."""

    __tablename__ = "worker_heartbeats"

    name: Mapped[str] = mapped_column(String(200), primary_key=True)  # host:pid
    beat_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


def _queue(app: Flask) -> Huey:
    backend = app.config["PLANNER_QUEUE"]
    if backend == "memory":  # tests: runs are enqueued and nothing consumes them
        return MemoryHuey("planner", results=False)
    if backend == "redis":
        pool = redis.ConnectionPool.from_url(
            app.config["REDIS_URL"], socket_connect_timeout=0.5, socket_timeout=5
        )
        return RedisHuey("planner", connection_pool=pool, results=False)
    return SqliteHuey(
        "planner", filename=str(Path(app.instance_path) / "queue.sqlite3"), results=False
    )


def _in_app(app: Flask, function: Callable) -> Callable:
    """`function` as the worker's threads run it: in an app context, its session closed after."""

    @functools.wraps(function)
    def run(*args, **kwargs):
        with app.app_context():
            try:
                return function(*args, **kwargs)
            finally:
                db.session.remove()

    return run


def init_app(app: Flask) -> None:
    queue = _queue(app)
    deliver = queue.task(name="deliver")(_in_app(app, _deliver))
    queue.periodic_task(crontab(minute="*"), name="sweep")(_in_app(app, _sweep))
    app.extensions["planner.queue"] = queue
    app.extensions["planner.deliver"] = deliver
    app.extensions["planner.wake_outbox"] = functools.partial(_enqueue, deliver)


def periodic(app: Flask, schedule: crontab, name: str, function: Callable) -> None:
    """Run `function` in the worker on `schedule` (inside an app context)."""
    app.extensions["planner.queue"].periodic_task(schedule, name=name)(_in_app(app, function))


def _enqueue(task, delay: float | None = None) -> None:
    """Wake the worker; with the queue down the sweep sends the message a minute later."""
    try:
        if delay:
            task.schedule(delay=delay)
        else:
            task()
    except QUEUE_FAULTS:
        log.warning("The queue is unreachable; the outbox sweep will send the message.")


def _deliver() -> None:
    counts = outbox.deliver_due()
    due = outbox.next_due()
    if counts["retry"] and due is not None:
        wait = (due - utcnow()).total_seconds()
        if wait < 60:  # later retries are the sweep's
            _enqueue(current_app.extensions["planner.deliver"], max(wait, 1))


def _sweep() -> None:
    beat()
    _deliver()


def _name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:200]


def beat() -> None:
    now, name = utcnow(), _name()
    row = db.session.get(WorkerHeartbeat, name)
    if row is None:
        db.session.add(WorkerHeartbeat(name=name, beat_at=now))
    else:
        row.beat_at = now
    forgotten = now - timedelta(days=1)
    db.session.execute(delete(WorkerHeartbeat).where(WorkerHeartbeat.beat_at < forgotten))
    db.session.commit()


def state() -> str:
    """ "ok" while a worker beat in the last three minutes, "late" if one beat before, else
    "not running"."""
    try:
        newest = db.session.scalar(select(func.max(WorkerHeartbeat.beat_at)))
    except SQLAlchemyError:
        db.session.rollback()
        return "unknown"
    if newest is None:
        return "not running"
    return "ok" if utcnow() - newest <= HEARTBEAT_LATE else "late"


def run(app: Flask, threads: int) -> None:
    """The worker process: Huey's consumer with its scheduler for the periodic tasks."""
    with app.app_context():
        beat()
        db.session.remove()
    consumer = app.extensions["planner.queue"].create_consumer(
        workers=threads, worker_type="thread", periodic=True, max_delay=2.0
    )
    log.info("Worker started with %d thread(s).", threads)
    consumer.run()


def mail_note(recipient: str | None) -> str:
    """What a page may say of a message it just queued: only what is true."""
    if not outbox.mail_configured():
        if recipient:
            return str(
                _l(
                    "The e-mail to %(email)s will be sent when the mail server is available.",
                    email=recipient,
                )
            )
        return str(_l("The e-mails will be sent when the mail server is available."))
    if state() != "ok":
        if recipient:
            return str(
                _l(
                    "The e-mail to %(email)s is waiting in the outbox; it will be sent as soon "
                    "as the background worker runs.",
                    email=recipient,
                )
            )
        return str(
            _l(
                "The e-mails are waiting in the outbox; they will be sent as soon as the "
                "background worker runs."
            )
        )
    if recipient:
        return str(_l("The e-mail to %(email)s is on its way.", email=recipient))
    return str(_l("The e-mails are on their way."))
