"""Ready-to-paste WhatsApp texts for a delegation's contact: what the e-mails say, written for
the delegation's group (always in Indonesian, and without anyone's personal link)."""

from dataclasses import dataclass
from urllib.parse import quote

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from planner.delegations.access import delegation_items
from planner.delegations.models import Delegation
from planner.programs import announcements
from planner.programs.models import ItemStatus


@dataclass
class WhatsAppText:
    key: str
    title: str
    body: str

    @property
    def share_url(self) -> str:
        return "https://wa.me/?text=" + quote(self.body)


def texts(delegation: Delegation) -> list[WhatsAppText]:
    program = delegation.program
    items = delegation_items(delegation)
    first = next((item for item in items if item.status == ItemStatus.SCHEDULED), None)
    with force_locale("id"):
        changed = [
            (item, announcements.describe(item, item.announced_change))
            for item in items
            if announcements.marked(item)
        ]
        context = {
            "delegation": delegation,
            "program": program,
            "changed": changed,
            "first_item": first,
            "protocol_contact": current_app.config["PLANNER_PROTOCOL_CONTACT"],
        }
        found = [WhatsAppText("status", _l("Status"), _render("status", context))]
        if changed:
            found.append(
                WhatsAppText("changes", _l("Changes to the agenda"), _render("changes", context))
            )
        if first is not None:
            found.append(
                WhatsAppText(
                    "reminder", _l("Reminder before the visit"), _render("reminder", context)
                )
            )
    return found


def _render(name: str, context: dict) -> str:
    lines = render_template(f"whatsapp/{name}.txt", **context).strip().splitlines()
    return "\n".join(line.rstrip() for line in lines)
