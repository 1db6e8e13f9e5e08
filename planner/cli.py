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


def _describe(proposal) -> str:
    if proposal.region:
        return f"{proposal.region.code} {proposal.region.label}"
    if proposal.ambiguous:
        return "ambiguous: " + ", ".join(f"{r.code} {r.label}" for r in proposal.candidates)
    return "no match"


def _ask_region(proposal):
    """The region staff confirm: Enter takes a single proposal, a typed code another one;
    None skips the institution, "q" stops."""
    from planner.regions.reference import region

    if proposal.region:
        question, default = f"  Enter saves {proposal.region.code}; or type a code, s skips", ""
    elif proposal.ambiguous:
        codes = ", ".join(r.code for r in proposal.candidates)
        question, default = f"  Type the code ({codes}), s skips", "s"
    else:
        question, default = "  Type a code such as 62.07, s skips", "s"
    while True:
        answer = click.prompt(question, default=default, show_default=False).strip()
        if answer.casefold() == "s":
            return None
        if answer.casefold() == "q":
            return "q"
        chosen = region(answer) if answer else proposal.region
        if chosen is not None:
            return chosen
        click.echo(f"  {answer!r} is not a code of the Kemendagri list (e.g. 62.07, or 35).")


@click.command("match-regions")
@click.option("--dry-run", is_flag=True, help="Only list the proposals; change nothing.")
@click.option("--yes", is_flag=True, help="Save every unambiguous proposal without asking.")
@click.option(
    "--by", "by_email", default="", help="E-mail of the staff account confirming (audit trail)."
)
def match_regions(dry_run: bool, yes: bool, by_email: str) -> None:
    """Propose Kemendagri region codes for delegations and visit requests without one, by
    institution text; each confirmed code is saved to all rows of that text, with the region's
    province."""
    from sqlalchemy.orm.exc import StaleDataError

    from planner.visits.region_matching import save_region, uncoded_institutions

    if dry_run and yes:
        raise click.UsageError("Give --dry-run or --yes, not both.")
    actor, label = None, "command line (match-regions)"
    if by_email:
        email = normalise_email(by_email)
        actor = db.session.scalar(select(StaffUser).where(StaffUser.email == email))
        if actor is None or not actor.active:
            raise click.ClickException(f"There is no active staff account for {email}.")
        label = actor.email
    groups = uncoded_institutions()
    db.session.rollback()  # no transaction stays open while staff read and answer
    if not groups:
        click.echo("Every delegation and visit request has a region code.")
        return
    totals = {"institutions": 0, "delegations": 0, "visit requests": 0, "skipped": 0}
    for group in groups:
        proposal = group.proposal
        counts = ", ".join(
            f"{count} {kind if count > 1 else kind[:-1]}"
            for kind, count in (
                ("delegations", group.delegations),
                ("visit requests", group.visit_requests),
            )
            if count
        )
        provinces = " / ".join(p or "-" for p in group.provinces)
        click.echo(f"{group.institution} | {provinces} | {counts} | {_describe(proposal)}")
        if dry_run:
            continue
        chosen = proposal.region if yes else _ask_region(proposal)
        if chosen == "q":
            break
        if chosen is None:
            totals["skipped"] += 1
            continue
        try:
            saved = save_region(group.institution, chosen, actor, label)
            db.session.commit()
        except StaleDataError:
            db.session.rollback()
            click.echo("  Not saved: a row changed meanwhile; run the command again.")
            totals["skipped"] += 1
            continue
        click.echo(f"  Saved {chosen.code} {chosen.label}.")
        totals["institutions"] += 1
        totals["delegations"] += saved.delegations
        totals["visit requests"] += saved.visit_requests
    if not dry_run:
        click.echo(
            f"Saved a code for {totals['institutions']} institution(s): "
            f"{totals['delegations']} delegation(s), {totals['visit requests']} visit "
            f"request(s); {totals['skipped']} institution(s) left without a code."
        )


def init_app(app: Flask) -> None:
    app.cli.add_command(create_user)
    app.cli.add_command(seed_demo)
    app.cli.add_command(seed_scale)
    app.cli.add_command(create_api_token)
    app.cli.add_command(purge)
    app.cli.add_command(run_worker)
    app.cli.add_command(match_regions)
