"""Printable sheets and the order of precedence, for protocol staff."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from planner.audit.log import record
from planner.core import checkcodes
from planner.core.access import staff_blueprint
from planner.core.database import db, one_or_404
from planner.core.forms import Form
from planner.core.links import qr_svg
from planner.delegations import checkin
from planner.delegations.models import SEAT_HOLDING_STATUSES, Delegation, Member, MemberItem
from planner.programs.models import AgendaItem, Program
from planner.programs.queries import WITH_AGENDA, agenda_by_day
from planner.protocol import precedence
from planner.protocol.models import PrecedenceRule, RuleKind

bp = staff_blueprint("protocol", __name__)
RULE_KIND_LABELS = {
    RuleKind.PLACE: _l("places the office"),
    RuleKind.AIDE: _l("an aide: after the officials"),
    RuleKind.ACTING: _l("acting (Plt.): as the office, after its holder"),
}
TAGS_PER_PAGE = 8
# A large program's tags come in parts of about 75 sheets: each renders in a fraction of a
# second, far from the worker's timeout, and prints as one job.
TAGS_PER_PART = 600
WITH_MEMBERS = (selectinload(Delegation.members), joinedload(Delegation.program))


def _seat_holders(program: Program) -> list[Delegation]:
    return list(
        db.session.scalars(
            select(Delegation)
            .where(
                Delegation.program_id == program.id, Delegation.status.in_(SEAT_HOLDING_STATUSES)
            )
            .options(selectinload(Delegation.members))
            .order_by(Delegation.institution)
        )
    )


def _pages(items: list, size: int) -> list[list]:
    return [items[start : start + size] for start in range(0, len(items), size)] or [[]]


def _tags(members: list[Member]) -> list[list[dict]]:
    # The check-in code, not the private link: a tag left on a table opens nothing. Few, large
    # modules (a short code) with quartile error correction read at arm's length in the dark.
    tags = [{"member": m, "qr": qr_svg(checkcodes.qr_text(m.checkin_code), "q")} for m in members]
    return _pages(tags, TAGS_PER_PAGE)


@bp.get("/delegations/<public_id>/name-tags")
def delegation_name_tags(public_id: str):
    delegation = one_or_404(Delegation, *WITH_MEMBERS, public_id=public_id)
    ranking = precedence.rules()
    members = precedence.in_order(delegation.members, ranking)
    return render_template(
        "protocol/name_tags.html",
        pages=_tags(members),
        title=delegation.institution,
        unconfirmed=_unconfirmed([delegation], ranking),
    )


@bp.get("/programs/<slug>/name-tags")
def program_name_tags(slug: str):
    """The tags of every seat holder, delegation by delegation; a large program's in parts
    (?part=2, ...) of whole delegations, each printed on its own."""
    program = one_or_404(Program, slug=slug)
    parts = _tag_parts(program)
    part = request.args.get("part", 1, type=int)
    if not 1 <= part <= len(parts):
        abort(404)
    ranking = precedence.rules()
    delegations = list(
        db.session.scalars(
            select(Delegation)
            .where(Delegation.id.in_([row.id for row in parts[part - 1]]))
            .options(selectinload(Delegation.members))
            .order_by(Delegation.institution, Delegation.id)
        )
    )
    members = [m for d in delegations for m in precedence.in_order(d.members, ranking)]
    return render_template(
        "protocol/name_tags.html",
        pages=_tags(members),
        title=program.title,
        program=program,
        parts=_part_labels(parts) if len(parts) > 1 else [],
        part=part,
        unconfirmed=_unconfirmed(delegations, ranking),
    )


def _tag_parts(program: Program) -> list[list]:
    """The seat holders' (id, institution, members) in the order of the tags, in parts of
    whole delegations of at most TAGS_PER_PART tags (a larger delegation is a part alone)."""
    rows = db.session.execute(
        select(Delegation.id, Delegation.institution, func.count(Member.id).label("members"))
        .join(Member)
        .where(Delegation.program_id == program.id, Delegation.status.in_(SEAT_HOLDING_STATUSES))
        .group_by(Delegation.id, Delegation.institution)
        .order_by(Delegation.institution, Delegation.id)
    )
    parts: list[list] = [[]]
    size = 0
    for row in rows:
        if parts[-1] and size + row.members > TAGS_PER_PART:
            parts.append([])
            size = 0
        parts[-1].append(row)
        size += row.members
    return parts


def _part_labels(parts: list[list]) -> list[dict]:
    labels, first = [], 1
    for rows in parts:
        last = first + sum(row.members for row in rows) - 1
        labels.append(
            {
                "first": first,
                "last": last,
                "from_institution": rows[0].institution,
                "to_institution": rows[-1].institution,
            }
        )
        first = last + 1
    return labels


@bp.get("/delegations/<public_id>/sppd")
def sppd(public_id: str):
    delegation = one_or_404(Delegation, *WITH_MEMBERS, public_id=public_id)
    program = delegation.program
    ranking = precedence.rules()
    return render_template(
        "protocol/sppd.html",
        delegation=delegation,
        program=program,
        members=precedence.in_order(delegation.members, ranking),
        unconfirmed=_unconfirmed([delegation], ranking),
        present=checkin.present_on(program, delegation),
        arrives_on=delegation.arrives_on or program.first_day,
        departs_on=delegation.departs_on or program.last_day,
    )


@bp.get("/programs/<slug>/print/agenda")
def desk_agenda(slug: str):
    program = one_or_404(Program, WITH_AGENDA, slug=slug)
    delegations = _seat_holders(program)
    return render_template(
        "protocol/desk_agenda.html",
        program=program,
        days=agenda_by_day(program),
        delegations=delegations,
    )


@bp.get("/items/<public_id>/attendance")
def attendance(public_id: str):
    item = one_or_404(
        AgendaItem,
        joinedload(AgendaItem.program),
        joinedload(AgendaItem.venue),
        public_id=public_id,
    )
    ranking = precedence.rules()
    chosen = (
        set(db.session.scalars(select(MemberItem.member_id).where(MemberItem.item_id == item.id)))
        if item.optional
        else None
    )
    rows = []
    for delegation in _seat_holders(item.program):
        members = [m for m in delegation.members if chosen is None or m.id in chosen]
        rows += [(delegation, m) for m in precedence.in_order(members, ranking)]
    return render_template(
        "protocol/attendance.html",
        item=item,
        program=item.program,
        rows=rows,
        checked_in=checkin.checked_in_at_item(item),
    )


@bp.get("/programs/<slug>/seating")
def seating(slug: str):
    """Everyone of the program in order of precedence: leaders first, then by rank."""
    program = one_or_404(Program, WITH_AGENDA, slug=slug)
    ranking = precedence.rules()
    delegations = _seat_holders(program)
    rows = [(d, m) for d in delegations for m in d.members]
    rows.sort(
        key=lambda row: (
            *precedence.placement(row[1], ranking).key,
            row[0].institution,
            row[1].sort_order,
        )
    )
    return render_template(
        "protocol/seating.html",
        program=program,
        rows=rows,
        placement=lambda m: precedence.placement(m, ranking),
        unranked=precedence.UNRANKED,
        unconfirmed=_unconfirmed(delegations, ranking),
    )


def _unconfirmed(delegations: list[Delegation], ranking) -> list[tuple[Delegation, str]]:
    """The delegations whose order staff have not confirmed (or that changed since)."""
    states = ((d, precedence.confirmation(d, ranking)) for d in delegations)
    return [(delegation, state) for delegation, state in states if state != "confirmed"]


@bp.route("/delegations/<public_id>/precedence", methods=["GET", "POST"])
def order(public_id: str):
    """The computed order with the rule that placed each member: staff place someone by
    hand where the rules are wrong, and confirm the order before printing."""
    delegation = one_or_404(Delegation, *WITH_MEMBERS, public_id=public_id)
    ranking = precedence.rules()
    errors: dict[str, str] = {}
    if request.method == "POST":
        if not Form().validate_on_submit():
            abort(400)
        places = {}
        for member in delegation.members:
            typed = (request.form.get(f"place-{member.public_id}") or "").strip()
            if typed and not (typed.isdigit() and 1 <= int(typed) <= 999):
                errors[member.public_id] = _(
                    "A place in the order of precedence is a number from 1 to 999."
                )
            places[member] = int(typed) if typed and not errors.get(member.public_id) else None
        if not errors:
            _save_order(delegation, places, ranking, confirm="confirm" in request.form)
            db.session.commit()
            return redirect(url_for("protocol.order", public_id=public_id), code=303)
    return render_template(
        "protocol/order.html",
        delegation=delegation,
        program=delegation.program,
        members=precedence.in_order(delegation.members, ranking),
        placement=lambda m: precedence.placement(m, ranking),
        state=precedence.confirmation(delegation, ranking),
        unranked=precedence.UNRANKED,
        errors=errors,
    ), 422 if errors else 200


def _save_order(delegation: Delegation, places: dict, ranking, confirm: bool) -> None:
    changed = [member for member, place in places.items() if member.precedence != place]
    for member, place in places.items():
        member.precedence = place
    if changed:
        record(
            "delegation.precedence_set",
            delegation,
            program=delegation.program,
            delegation=delegation,
            changes={"placed_by_hand": [None, len(changed)]},  # no names: the trail keeps no data
        )
    if confirm:
        precedence.confirm(delegation, ranking, current_user.email)
        record(
            "delegation.precedence_confirmed",
            delegation,
            program=delegation.program,
            delegation=delegation,
        )
        flash(_("The order of precedence is confirmed."), "success")
    elif changed:
        flash(_("The places are saved."), "success")


@bp.route("/precedence", methods=["GET", "POST"])
def rules():
    if request.method == "POST":
        if not Form().validate_on_submit():
            abort(400)
        keyword = precedence.keyword_words(request.form.get("keyword") or "")[:100]
        kind = request.form.get("kind", RuleKind.PLACE)
        try:
            rank = int(request.form.get("rank", ""))
        except ValueError:
            rank = 0
        if not keyword or not 1 <= rank <= 999 or kind not in set(RuleKind):
            flash(_("Give a position keyword, what it means and a rank from 1 to 999."), "error")
        else:
            rule = db.session.scalar(
                select(PrecedenceRule).where(PrecedenceRule.keyword == keyword)
            )
            if rule is None:
                db.session.add(PrecedenceRule(keyword=keyword, rank=rank, kind=kind))
            else:
                rule.rank, rule.kind = rank, kind
            db.session.commit()
            flash(_("Saved: %(keyword)s has rank %(rank)s.", keyword=keyword, rank=rank), "success")
        return redirect(url_for("protocol.rules"), code=303)
    return render_template("protocol/rules.html", rules=precedence.rules(), kinds=RULE_KIND_LABELS)


@bp.post("/precedence/<int:rule_id>/delete")
def delete_rule(rule_id: int):
    rule = db.session.get(PrecedenceRule, rule_id)
    if rule is None:
        abort(404)
    db.session.delete(rule)
    db.session.commit()
    flash(_("Removed: %(keyword)s.", keyword=rule.keyword), "success")
    return redirect(url_for("protocol.rules"), code=303)


@bp.post("/members/<public_id>/protocol")
def member_protocol(public_id: str):
    """Staff's manual place in the order of precedence, and the health certificate."""
    member = one_or_404(Member, public_id=public_id)
    place = (request.form.get("precedence") or "").strip()
    if place and not (place.isdigit() and 1 <= int(place) <= 999):
        flash(_("A place in the order of precedence is a number from 1 to 999."), "error")
    else:
        member.precedence = int(place) if place else None
        member.health_certificate = request.form.get("health_certificate") == "y"
        db.session.commit()
        flash(_("Saved for %(name)s.", name=member.full_name), "success")
    return redirect(
        url_for("review.show", public_id=member.delegation.public_id, _anchor="members"), code=303
    )
