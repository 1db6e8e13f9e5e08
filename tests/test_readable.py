"""What staff read is in their language and their time zone: audit trail labels and values,
dates of instants in the program's zone, error summaries that name the right row."""

import ast
from datetime import date, time
from pathlib import Path

from babel.messages.pofile import read_po

import planner
from planner.core import labels
from planner.core.database import db
from planner.delegations.models import DelegationStatus
from planner.delegations.records import DelegationFields, MemberFields
from planner.programs.models import ProgramStatus
from planner.programs.records import ItemFields, ProgramFields
from planner.venues.records import VenueFields
from tests.helpers import post, post_back, register, text

PACKAGE = Path(planner.__file__).parent
CATALOG = PACKAGE / "translations" / "id" / "LC_MESSAGES" / "messages.po"


def recorded_actions() -> set[str]:
    """Every action name passed to record(...) anywhere in the code."""
    actions = set()
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "record":
                first = node.args[0]
                assert not any(isinstance(n, ast.JoinedStr) for n in ast.walk(first)), (
                    f"{path}: give record() a literal action name, so it can be labelled"
                )
                actions |= {
                    n.value for n in ast.walk(first) if isinstance(n, ast.Constant) and n.value
                }
    return actions


def indonesian() -> dict[str, str]:
    with CATALOG.open("rb") as handle:
        return {message.id: message.string for message in read_po(handle) if message.id}


def test_every_recorded_action_has_a_label_in_both_languages(app):
    actions = recorded_actions()
    assert len(actions) > 25
    assert actions <= set(labels.ACTIONS), actions - set(labels.ACTIONS)
    words = indonesian()
    for action in actions:
        english = labels.ACTIONS[action]._args[0]
        assert words.get(english), f"no Indonesian for the label of {action}"


def test_every_editable_field_has_a_label(app):
    for record_type, record in (
        ("Program", ProgramFields),
        ("AgendaItem", ItemFields),
        ("Venue", VenueFields),
        ("Delegation", DelegationFields),
        ("Member", MemberFields),
    ):
        values = {
            name: {inner: None for inner in record.nested()[name].names()}
            if name in record.nested()
            else None
            for name in record.names()
        }
        attributes = set(record.attributes(values)) - record.derived
        unlabelled = [a for a in attributes if a not in labels.FIELDS.get(record_type, {})]
        assert unlabelled == [], (record_type, unlabelled)


def test_the_trail_speaks_indonesian_with_venue_names_and_local_times(
    staff_client, make_program, make_item, make_venue
):
    program = make_program(first_day=date(2026, 12, 3), status=ProgramStatus.PUBLISHED)
    hall = make_venue(name="Aula Rempeg Jogopati")
    paltuding = make_venue(name="Pos Paltuding")
    trek = make_item(
        program,
        title="Pendakian Kawah Ijen",
        venue=hall,
        day=date(2026, 12, 4),
        start=time(1),
        end=time(6),
        optional=True,
    )
    page = f"/staff/items/{trek.public_id}/edit"
    response = post_back(staff_client, page, "title", start="02:00", venue=paltuding.public_id)
    assert response.status_code == 303
    history = text(staff_client.get(f"/staff/programs/{program.slug}/history"))
    assert "Acara diubah" in history and "item.updated" not in history
    assert "Aula Rempeg Jogopati" in history and "Pos Paltuding" in history
    assert "4 Des 2026 02.00 WIB" in history and "18:00:00+00:00" not in history
    assert "venue_id" not in history and "starts_at" not in history


def test_a_decision_reads_as_a_decision(staff_client, make_program, make_delegation):
    delegation = make_delegation(make_program())
    post(
        staff_client,
        f"/staff/delegations/{delegation.public_id}/status",
        {"status": "approved", "reason": "Kuota cukup"},
    )
    db.session.refresh(delegation)
    assert delegation.status == DelegationStatus.APPROVED
    page = text(staff_client.get(f"/staff/delegations/{delegation.public_id}"))
    assert "Status diputuskan" in page and "delegation.status_changed" not in page
    assert "menunggu persetujuan" in page and "disetujui" in page


def test_the_dashboard_dates_a_02_00_trek_on_its_own_day(
    staff_client, make_program, make_item, monkeypatch
):
    from planner.workspace import views as dashboard

    monkeypatch.setattr(dashboard, "host_today", lambda: date(2026, 12, 1))
    program = make_program(first_day=date(2026, 12, 3))
    make_item(
        program,
        title="Pendakian Kawah Ijen",
        day=date(2026, 12, 4),
        start=time(2),
        end=time(6),
        presenter="Pak Slamet",
    )
    make_item(
        program,
        title="Briefing Paltuding",
        day=date(2026, 12, 4),
        start=time(2),
        end=time(3),
        presenter="Pak Slamet",
    )
    page = text(staff_client.get("/staff/"))
    assert "4 Des 2026 02.00 WIB" in page
    assert "3 Des 2026 19" not in page


def test_the_error_summary_names_the_row_the_error_is_in(client, make_program):
    program = make_program()
    response = register(client, program, members=6, **{"members-4-email": "bukan email"})
    assert response.status_code == 422
    summary = text(response).split('id="error-summary"', 1)[1].split("</div>", 1)[0]
    assert "Anggota 5, E-mail" in summary and "Anggota 1," not in summary
