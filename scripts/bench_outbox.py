"""How fast the outbox drains: queue N registration-sized messages (with a calendar file) and
deliver them to a real SMTP server on loopback (aiosmtpd), as one worker run does.

Usage: .venv/bin/python scripts/bench_outbox.py [--messages 500] [--database-url URL]

Prints the time to queue (render text, HTML and .ics, write the rows) and to deliver, and the
queries per message of the delivery (constant: claim, load, mark).
"""

import argparse
import os
import socket
import sys
import tempfile
import time
from pathlib import Path

from aiosmtpd.controller import Controller
from sqlalchemy import event

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


class Counting:
    def __init__(self):
        self.received = 0

    async def handle_DATA(self, server, session, envelope):
        self.received += 1
        return "250 OK"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=500)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="planner-bench-outbox-"))
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    os.environ.update(
        {
            "DATABASE_URL": args.database_url or f"sqlite:///{work / 'bench.sqlite3'}",
            "PLANNER_INSTANCE_PATH": str(work),
            "MAIL_SERVER": "127.0.0.1",
            "MAIL_PORT": str(port),
            "MAIL_USE_TLS": "0",
            "SECRET_KEY": "bench",
        }
    )
    os.environ.pop("REDIS_URL", None)

    from sqlalchemy import select

    from planner import create_app
    from planner.core import outbox
    from planner.core.database import db
    from planner.delegations.models import Delegation
    from planner.demo import load_demo
    from planner.messages import composing

    app = create_app()
    handler = Counting()
    smtp = Controller(handler, hostname="127.0.0.1", port=port)
    smtp.start()
    try:
        with app.app_context():
            db.drop_all()
            db.create_all()
            load_demo()
            db.session.commit()
            delegation = db.session.scalar(select(Delegation))
            start = time.perf_counter()
            for _ in range(args.messages):
                composing.registration_confirmation(delegation)
            db.session.commit()
            queued = time.perf_counter() - start
            queries = []
            event.listen(db.engine, "before_cursor_execute", lambda *a: queries.append(1))
            start = time.perf_counter()
            counts = outbox.deliver_due()
            while counts["sent"]:
                counts = outbox.deliver_due()
            delivered = time.perf_counter() - start
        print(f"{args.messages} messages on {app.config['SQLALCHEMY_DATABASE_URI'].split(':')[0]}")
        print(f"queued in {queued:.2f} s ({queued / args.messages * 1000:.1f} ms each)")
        print(
            f"delivered in {delivered:.2f} s ({args.messages / delivered:.0f} per second), "
            f"{len(queries) / args.messages:.1f} queries per message; "
            f"the SMTP server received {handler.received}"
        )
    finally:
        smtp.stop()


if __name__ == "__main__":
    main()
