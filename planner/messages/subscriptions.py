"""Which change writes which message: receivers of the delegations' signals, each adding its
messages to the transaction of the change, and the worker's periodic reminder."""

from datetime import datetime
from zoneinfo import ZoneInfo

from flask import Flask
from huey import crontab

from planner.core import worker
from planner.delegations import events
from planner.delegations.models import Delegation, DelegationStatus
from planner.messages import composing, reminders

REMINDER_HOUR = 8  # in the host's time zone


def registered(delegation: Delegation) -> None:
    composing.registration_confirmation(delegation)
    if delegation.status == DelegationStatus.APPROVED:
        composing.member_links(delegation.members)


def status_changed(delegation: Delegation, old: DelegationStatus, by_contact: bool) -> None:
    composing.decision(delegation, old, by_contact)
    if delegation.status == DelegationStatus.APPROVED:
        composing.member_links(delegation.members)


def members_added(delegation: Delegation, members: list) -> None:
    if delegation.status == DelegationStatus.APPROVED:
        composing.member_links(members)


def init_app(app: Flask) -> None:
    events.registered.connect(registered)
    events.status_changed.connect(status_changed)
    events.members_added.connect(members_added)
    local_hour = datetime.now(ZoneInfo(app.config["PLANNER_TIMEZONE"])).replace(
        hour=REMINDER_HOUR, minute=0
    )
    utc_hour = local_hour.astimezone(ZoneInfo("UTC")).hour
    worker.periodic(app, crontab(hour=str(utc_hour), minute="0"), "reminders", reminders.send_due)
