"""Outgoing mail. Without MAIL_SERVER nothing is sent: the log says so, and in development
the message is saved to instance/outbox/ (the log never holds a body: it carries private
links)."""

import logging
import smtplib
from email.message import EmailMessage
from pathlib import Path
from uuid import uuid4

from flask import current_app

log = logging.getLogger("planner.core.mail")


def send_mail(to: str, subject: str, body: str) -> None:
    """Send now; call it after the transaction that decided to send has committed."""
    config = current_app.config
    message = EmailMessage()
    message["From"] = config["MAIL_FROM"]
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    if not config.get("MAIL_SERVER"):
        if config["PLANNER_ENV"] == "production":
            log.warning("MAIL_SERVER is not set; not sent to %s: %s", to, subject)
            return
        outbox = Path(current_app.instance_path) / "outbox"
        outbox.mkdir(parents=True, exist_ok=True)
        path = outbox / f"{uuid4().hex}.eml"
        path.write_bytes(bytes(message))
        log.info("Mail to %s not sent (no MAIL_SERVER); saved as %s", to, path)
        return
    with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=20) as smtp:
        if config["MAIL_USE_TLS"]:
            smtp.starttls()
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
        smtp.send_message(message)
