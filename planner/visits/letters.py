"""The reply letter (surat balasan): in Indonesian, as official letters are, with a body staff
may rewrite before printing."""

from flask_babel import force_locale
from flask_babel import gettext as _

from planner.core.i18n import format_long_date
from planner.visits.models import RequestStatus, VisitRequest


def _days(first, last) -> str:
    """30 Desember 2026, or 30–31 Desember 2026: months in full, as letters write them."""
    if first == last:
        return format_long_date(first)
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.day}–{format_long_date(last)}"
    return f"{format_long_date(first)} – {format_long_date(last)}"


def subject(request: VisitRequest) -> str:
    with force_locale("id"):
        return _("Reply to the request for a study visit")


def default_body(request: VisitRequest) -> str:
    """The letter's text for the decision taken, before staff change it."""
    with force_locale("id"):
        letter = (
            _(
                "letter No. %(number)s of %(date)s",
                number=request.request_letter_number,
                date=format_long_date(request.request_letter_date),
            )
            if request.request_letter_number and request.request_letter_date
            else _("your letter")
        )
        opening = _(
            "With reference to %(letter)s concerning a study visit of %(institution)s to our "
            "regency, we thank you for your interest.",
            letter=letter,
            institution=request.institution,
        )
        program = request.program
        if request.status in (RequestStatus.ACCEPTED, RequestStatus.MERGED) and program:
            decision = _(
                "We are pleased to receive the delegation of %(size)s people on %(dates)s. "
                "The agenda of the visit is set out below.",
                size=request.size,
                dates=_days(program.first_day, program.last_day),
            )
            if request.status == RequestStatus.MERGED:
                decision += " " + _(
                    "On these days the visit is held together with another delegation."
                )
        elif request.status == RequestStatus.PROPOSED:
            decision = _(
                "On the dates you asked for we cannot receive the delegation; we propose "
                "%(dates)s instead, and ask you to confirm them on the request's page.",
                dates=_days(request.proposed_first_day, request.proposed_last_day),
            )
        elif request.status == RequestStatus.DECLINED:
            decision = _("With regret, we cannot receive the visit.")
        else:
            decision = _("Your request is being considered.")
        if request.reason:
            decision += " " + request.reason
        closing = _(
            "Please coordinate the details with the contact person below. Thank you for your "
            "attention and cooperation."
        )
        return "\n\n".join([opening, decision, closing])


def body(request: VisitRequest) -> str:
    return request.reply_body or default_body(request)
