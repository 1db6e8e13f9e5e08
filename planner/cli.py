"""Commands: flask --app planner seed-demo | seed-scale | create-user."""

import sys
from datetime import UTC, date, datetime, time, timedelta
from time import perf_counter

import click
from email_validator import EmailNotValidError, validate_email
from flask import Flask, current_app
from sqlalchemy import select

from planner.core.database import db
from planner.staff.models import Role, StaffUser


def normalise_email(value: str) -> str:
    try:
        return validate_email(value.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError as exc:
        raise click.BadParameter(f"{value!r} is not a valid e-mail address: {exc}") from None


def _read_password() -> str:
    if sys.stdin.isatty():
        return click.prompt("Password", hide_input=True, confirmation_prompt=True)
    return sys.stdin.readline().rstrip("\r\n")


@click.command("create-user")
@click.argument("email")
@click.option(
    "--role",
    type=click.Choice([r.value for r in Role]),
    default=Role.STAFF.value,
    show_default=True,
)
@click.option("--name", default="", help="Display name (default: the part of the e-mail before @).")
def create_user(email: str, role: str, name: str) -> None:
    """Create a staff account. The password is read from a prompt or standard input."""
    email = normalise_email(email)
    if db.session.scalar(select(StaffUser).where(StaffUser.email == email)):
        raise click.ClickException(f"A staff account for {email} already exists.")
    password = _read_password()
    if len(password) < 10:
        raise click.ClickException("The password must have at least 10 characters.")
    user = StaffUser(email=email, name=name.strip() or email.split("@")[0], role=role)
    user.set_password(password)
    db.session.add(user)
    db.session.commit()
    click.echo(f"Created {role} account {email}.")


@click.command("seed-demo")
def seed_demo() -> None:
    """Load the Banyuwangi demo (venues, a published program, a delegation of 30). Idempotent."""
    from planner.demo import DEMO_PASSWORD, DEMO_STAFF_EMAIL, load_demo

    created = load_demo()
    db.session.commit()
    click.echo(
        "Loaded the Banyuwangi demo." if created else "The Banyuwangi demo is already there."
    )
    click.echo(f"Demo staff login: {DEMO_STAFF_EMAIL} / {DEMO_PASSWORD}")


@click.command("seed-scale")
@click.option("--years", default=1, show_default=True, type=click.IntRange(1, 50))
@click.option(
    "--scale",
    default=1.0,
    show_default=True,
    type=click.FloatRange(0.001, 10),
    help="Fraction of a year's volume (about 50 programs and 500 delegations), e.g. for tests.",
)
def seed_scale(years: int, scale: float) -> None:
    """Fill an EMPTY database with years of realistic history (for benchmarks), over the demo."""
    from planner.demo import DEMO_PASSWORD, DEMO_STAFF_EMAIL
    from planner.scale import NotEmpty
    from planner.scale import seed_scale as seed

    started = perf_counter()
    try:
        counts = seed(years, scale)
    except NotEmpty:
        raise click.ClickException(
            "The database is not empty: seed-scale fills a new database only "
            "(create one and run flask db upgrade first)."
        ) from None
    click.echo(f"Seeded {years} year(s) in {perf_counter() - started:.1f} s:")
    for table, count in counts.items():
        click.echo(f"  {table:16s} {count:>9,}")
    login = current_app.config["PLANNER_BASE_URL"].rstrip("/") + "/staff/login"
    click.echo(f"Staff login at {login}: {DEMO_STAFF_EMAIL} / {DEMO_PASSWORD}")


@click.command("create-api-token")
@click.argument("email")
@click.option("--name", default="", help="What the token is for, e.g. the system that uses it.")
def create_api_token(email: str, name: str) -> None:
    """Print a new JSON API token for a staff account. It is shown only this once."""
    from planner.staff.tokens import create_token

    email = normalise_email(email)
    user = db.session.scalar(select(StaffUser).where(StaffUser.email == email))
    if user is None or not user.active:
        raise click.ClickException(f"There is no active staff account for {email}.")
    _, secret = create_token(user, name or "command line")
    db.session.commit()
    click.echo(secret)


@click.command("purge")
@click.option(
    "--before",
    "before",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Delete the delegations of programs that ended before this day (YYYY-MM-DD).",
)
@click.option(
    "--older-than",
    "days",
    type=click.IntRange(min=1),
    help="Delete the delegations of programs that ended more than this many days ago.",
)
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def purge(before, days: int | None, yes: bool) -> None:
    """Delete delegations and their members' personal data for programs that are over, and
    the e-mails sent before that day."""
    from planner.core.outbox import forget_before
    from planner.delegations.protection import purge_before

    if (before is None) == (days is None):
        raise click.UsageError("Give either --before YYYY-MM-DD or --older-than DAYS.")
    day = before.date() if before else date.today() - timedelta(days=days)
    if not yes:
        click.confirm(
            f"Delete every delegation of programs that ended before {day:%Y-%m-%d}?", abort=True
        )
    count = purge_before(day)
    messages = forget_before(datetime.combine(day, time(), tzinfo=UTC))
    db.session.commit()
    click.echo(f"Deleted {count} delegation(s) with their members' personal data.")
    click.echo(f"Deleted {messages} e-mail(s) sent before {day:%Y-%m-%d}.")


@click.command("worker")
@click.option("--threads", default=2, show_default=True, type=click.IntRange(1, 16))
def run_worker(threads: int) -> None:
    """Run the background worker: delivers the outbox and runs the periodic tasks."""
    from planner.core import worker

    worker.run(current_app._get_current_object(), threads)


def init_app(app: Flask) -> None:
    app.cli.add_command(create_user)
    app.cli.add_command(seed_demo)
    app.cli.add_command(seed_scale)
    app.cli.add_command(create_api_token)
    app.cli.add_command(purge)
    app.cli.add_command(run_worker)
