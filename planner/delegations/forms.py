"""The registration form (also the contact's and staff's edit form).

Field names are a contract (DESIGN.md, "HTML form field names"): institution, contact-name,
request_letter-number, members-0-full_name, ... as WTForms flattens FormField and FieldList.
"""

import io
from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from pypdf import PdfReader
from pypdf.errors import PyPdfError
from wtforms import (
    DateField,
    EmailField,
    FieldList,
    FormField,
    HiddenField,
    SelectField,
    SelectMultipleField,
    StringField,
    TelField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from planner.core import idempotency
from planner.core.forms import Form, RecordFields, SubForm, VersionedForm, normalised, options
from planner.core.validation import (
    name_key,
    normalise_email,
    normalise_nip,
    normalise_phone,
)
from planner.delegations import pasting, region_choice
from planner.delegations.labels import GENDER_LABELS, ROLE_LABELS
from planner.delegations.models import MemberRole
from planner.delegations.records import (
    ContactFields,
    DecisionFields,
    DelegationFields,
    LetterFields,
    MemberFields,
)
from planner.delegations.registration import LetterFile
from planner.regions import reference

MAX_LETTER_BYTES = 5 * 1024 * 1024
# No program allows more than 200 members; rows beyond this many are never read.
MAX_ROWS = 250


class ContactForm(RecordFields, SubForm):
    record = ContactFields

    name = StringField(_l("Contact person"), validators=[DataRequired(), Length(max=200)])
    phone = TelField(
        _l("Contact phone (WhatsApp)"),
        validators=[DataRequired(), Length(max=40), normalised(normalise_phone)],
    )
    email = EmailField(
        _l("Contact e-mail"),
        validators=[DataRequired(), Length(max=254), normalised(normalise_email)],
    )


def pdf_letter(form, field):
    upload = field.data
    if not upload or not getattr(upload, "filename", ""):
        field.data = None
        return
    content = upload.stream.read(MAX_LETTER_BYTES + 1)
    check_letter(content)
    name = upload.filename.replace("\\", "/").rsplit("/", 1)[-1][:150] or "surat.pdf"
    field.letter = LetterFile(filename=name, content=content)


def check_letter(content: bytes) -> None:
    """ValidationError unless content is a PDF of at most 5 MB with at least one page."""
    if len(content) > MAX_LETTER_BYTES:
        raise ValidationError(
            _l(
                "The letter is larger than 5 MB. Scan it at a lower resolution or compress the "
                "PDF, then upload it again."
            )
        )
    if not content.startswith(b"%PDF-"):
        raise ValidationError(
            _l("The letter is not a PDF file. Save or scan it as a PDF, then upload it again.")
        )
    try:
        # The page count the document declares: counting the pages walks the whole page
        # tree, seconds for a crafted file of 50,000 pages.
        pages = PdfReader(io.BytesIO(content)).root_object["/Pages"].get_object()
        count = int(pages.get("/Count", 0))
    except (PyPdfError, ValueError, KeyError, TypeError, OSError, RecursionError, AttributeError):
        raise ValidationError(
            _l(
                "This file is damaged or not a real PDF. Save the letter as a PDF again, then "
                "upload it."
            )
        ) from None
    if count < 1:
        raise ValidationError(_l("The PDF has no pages. Upload the scan of the signed letter."))


class LetterForm(RecordFields, SubForm):
    record = LetterFields

    number = StringField(_l("Request letter number"), validators=[Optional(), Length(max=100)])
    date = DateField(_l("Letter date"), validators=[Optional()])
    file = FileField(_l("Letter (PDF, at most 5 MB)"), validators=[pdf_letter])


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def pre_validate(self, form):
        """Unknown choices are the domain's to refuse, with a message naming the item."""


class MemberForm(RecordFields, SubForm):
    record = MemberFields
    record_type = "Member"

    id = HiddenField()
    full_name = StringField(_l("Full name with titles"), validators=[Length(max=200)])
    position = StringField(_l("Position (jabatan)"), validators=[Length(max=200)])
    nip = StringField(_l("NIP"), validators=[Length(max=40), normalised(normalise_nip)])
    rank = StringField(_l("Rank / grade"), validators=[Length(max=100)])
    gender = SelectField(
        _l("Gender"),
        choices=options([("", _l("—")), *GENDER_LABELS.items()]),
        validators=[Optional()],
    )
    phone = TelField(_l("Phone"), validators=[Length(max=40), normalised(normalise_phone)])
    email = EmailField(_l("E-mail"), validators=[Length(max=254), normalised(normalise_email)])
    dietary = StringField(_l("Dietary needs"), validators=[Length(max=200)])
    role = SelectField(
        _l("Role"), choices=options(ROLE_LABELS.items()), default=MemberRole.MEMBER.value
    )
    optional_items = MultiCheckboxField(_l("Joins"), choices=[])

    TEXT_FIELDS = ("full_name", "position", "nip", "rank", "phone", "email", "dietary")

    def is_blank(self) -> bool:
        return not any((getattr(self, name).data or "").strip() for name in self.TEXT_FIELDS)

    def validate(self, extra_validators=None) -> bool:
        if self.is_blank():
            return True
        valid = super().validate(extra_validators)
        for name in ("full_name", "position"):
            field = getattr(self, name)
            if not (field.data or "").strip():
                field.errors = [*field.errors, _l("This field is required.")]
                valid = False
        return valid

    def member_data(self) -> MemberFields:
        return MemberFields.model_validate(self.record_values())


class MembersForm(Form):
    """The member list, with its rules: 1 to the program's limit, no duplicate names or NIPs."""

    members = FieldList(FormField(MemberForm), max_entries=MAX_ROWS)
    # A list pasted in one box fills the rows (paste_list); the box itself is never saved.
    paste_text = TextAreaField(_l("Paste a list"), validators=[Length(max=pasting.MAX_CHARS)])

    def __init__(self, program, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.program = program
        self.members_errors: list = []
        # (people read into the rows, people left out at the program's limit) after a paste
        self.pasted: tuple[int, int] | None = None
        self._offer_optional_items()

    def _offer_optional_items(self) -> None:
        optional = [item for item in self.program.items if item.optional and not item.is_cancelled]
        for row in self.members:
            row.optional_items.choices = options((item.public_id, item.title) for item in optional)

    def add_rows(self, count: int) -> None:
        limit = self.program.members_per_delegation
        for _ in range(max(0, min(count, limit - len(self.members)))):
            self.members.append_entry()
        self._offer_optional_items()

    def paste_list(self) -> bool:
        """The pasted list's people in the member rows: the empty rows first, then new rows up
        to the program's limit. Nothing is checked yet: a value the form cannot take stays as
        pasted (a select offers it) and the normal validation names it. False, with an error
        at the box, when the box holds no one."""
        people = pasting.read_list(self.paste_text.data or "").rows
        if not people:
            self.paste_text.errors = [
                _l(
                    "No one could be read from the pasted text. Paste one person a line, "
                    "the full name first."
                )
            ]
            return False
        placed = people[: max(0, self.program.members_per_delegation - len(self.filled_rows()))]
        empty = [row.form for row in self.members if row.form.is_blank()]
        for values in placed:
            if not empty:
                self.members.append_entry()
                empty.append(self.members[-1].form)
            row = empty.pop(0)
            for name, value in values.items():
                field = row[name]
                if isinstance(field, SelectField) and value not in [c.value for c in field.choices]:
                    field.choices = [*field.choices, *options([(value, value)])]
                field.data = value
        self.paste_text.data = ""
        self.pasted = (len(placed), len(people) - len(placed))
        self._offer_optional_items()
        return True

    def paste_rules(self) -> dict:
        return pasting.rules()

    def filled_rows(self) -> list[tuple[int, MemberForm]]:
        return [
            (index, row.form) for index, row in enumerate(self.members) if not row.form.is_blank()
        ]

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        rows = self.filled_rows()
        limit = self.program.members_per_delegation
        if not rows:
            self.members_errors.append(_l("The member list is empty. List at least one member."))
        elif len(rows) > limit:
            self.members_errors.append(
                _l(
                    "A delegation can have at most %(limit)s members; this list has %(count)s. "
                    "Remove the extra rows, or ask the host about a larger delegation.",
                    limit=limit,
                    count=len(rows),
                )
            )
        seen_names, seen_nips = {}, {}
        for index, row in rows:
            key = name_key(row.full_name.data or "")
            if key and key in seen_names:
                row.full_name.errors = [
                    *row.full_name.errors,
                    _l(
                        "Same name as row %(row)s. Remove one of the two rows, or tell the names "
                        "apart, e.g. by their titles.",
                        row=seen_names[key] + 1,
                    ),
                ]
                valid = False
            seen_names.setdefault(key, index)
            nip = row.nip.data
            if nip and not row.nip.errors:
                if nip in seen_nips:
                    row.nip.errors = [
                        *row.nip.errors,
                        _l(
                            "Same NIP as row %(row)s. Everyone has their own NIP: check both rows.",
                            row=seen_nips[nip] + 1,
                        ),
                    ]
                    valid = False
                seen_nips.setdefault(nip, index)
        return valid and not self.members_errors

    def members_data(self) -> list[MemberFields]:
        return [row.member_data() for _, row in self.filled_rows()]

    def attach_errors(self, errors: dict) -> None:
        """Show the domain's refusals (paths like members.3.optional_items) at their fields."""
        rows = self.filled_rows()
        for path, messages in errors.items():
            parts = path.split(".")
            if parts[0] == "members" and len(parts) == 3 and int(parts[1]) < len(rows):
                # A row's id is hidden: what it says about the row is shown at the name.
                name = "full_name" if parts[2] == "id" else parts[2]
                field = getattr(rows[int(parts[1])][1], name)
                field.errors = [*field.errors, *messages]
            else:
                self.members_errors.extend(messages)

    def fill_members(self, members) -> None:
        self.load_members([MemberFields.of(member) for member in members])

    def load_members(self, rows: list[dict]) -> None:
        """One row per member's record values (and the program's optional items offered)."""
        while len(self.members):
            self.members.pop_entry()
        for values in rows[:MAX_ROWS]:
            self.members.append_entry()
            self.members[-1].form.load(values)
        self.add_rows(0)


class SenderFields:
    """Who writes to the host: the institution (and its region), its leader, the contact person
    and the letter. The registration form and the visit-request form both ask for them, by the
    same names."""

    region_code = region_choice.RegionField(
        _l("Region (Kemendagri list)"),
        validators=[region_choice.known_region],
        description=_l(
            "Your province or regency/city: the institution and the province follow from it. "
            "For a ministry or a university, leave the first entry."
        ),
    )
    institution = StringField(
        _l("Institution"),
        validators=[region_choice.from_region, Length(max=200)],
        description=_l(
            "e.g. Pemerintah Kabupaten Seruyan. Left empty, it is your region's government; "
            "type another if needed, e.g. DPRD Kabupaten Seruyan."
        ),
    )
    province = StringField(
        _l("Province"),
        validators=[region_choice.from_region, Length(max=100)],
        description=_l("Follows from the region, if you choose one."),
    )
    leader_name = StringField(
        _l("Leader of the delegation"), validators=[DataRequired(), Length(max=200)]
    )
    leader_title = StringField(
        _l("Leader's position"),
        validators=[DataRequired(), Length(max=200)],
        description=_l("e.g. Bupati Seruyan"),
    )
    contact = FormField(ContactForm)
    request_letter = FormField(LetterForm)

    def letter(self) -> LetterFile | None:
        return getattr(self.request_letter.form.file, "letter", None)

    def chosen_region(self) -> reference.Region | None:
        return reference.region(self.region_code.data)

    def zone_notes(self, host_timezone: str, day: date | None = None) -> dict[str, str]:
        """What a region of each time zone is told about it, next to the host's zone (where
        arrivals are planned), by zone label: WIB, WITA, WIT."""
        notes = {}
        for province in reference.provinces():
            if province.zone_label not in notes:
                notes[province.zone_label] = region_choice.zone_note(province, host_timezone, day)
        return notes


class RegistrationForm(SenderFields, RecordFields, MembersForm):
    record = DelegationFields
    record_type = "Delegation"

    version = HiddenField()
    arrival_notes = TextAreaField(
        _l("Arrival"),
        validators=[Length(max=1000)],
        description=_l("When and how you arrive, e.g. flight, hotel."),
    )
    departure_notes = TextAreaField(_l("Departure"), validators=[Length(max=1000)])
    arrives_on = DateField(_l("Arrival date"), validators=[Optional()])
    departs_on = DateField(_l("Departure date"), validators=[Optional()])

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        arrives, departs = self.arrives_on.data, self.departs_on.data
        if arrives and departs and departs < arrives:
            self.departs_on.errors = [
                *self.departs_on.errors,
                _l("The departure date is before the arrival date. Check both dates."),
            ]
            valid = False
        return valid

    def delegation_data(self) -> DelegationFields:
        return DelegationFields.model_validate(self.record_values())

    def show(self, delegation) -> None:
        super().show(delegation)
        self.fill_members(delegation.members)

    def seen_version(self) -> int | None:
        try:
            return int(self.version.data)
        except (TypeError, ValueError):
            return None


class NewRegistrationForm(RegistrationForm):
    """The registration form, with a one-time key: sent twice, it registers once."""

    idempotency_key = HiddenField(default=idempotency.new_key)


class CancelForm(Form):
    reason = StringField(_l("Reason (optional)"), validators=[Optional(), Length(max=500)])


class StatusForm(RecordFields, VersionedForm):
    record = DecisionFields

    status = SelectField(_l("New status"), choices=[], validators=[DataRequired()])
    reason = TextAreaField(
        _l("Reason, shown to the delegation"), validators=[DataRequired(), Length(max=500)]
    )
