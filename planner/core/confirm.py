"""Asking before what cannot be undone: one page for every such action, working without
JavaScript. A view acts only when the POST carries confirm=1; otherwise it answers with the
shared page (templates/confirm.html), which says what will happen and posts the same form
again, its fields kept as hidden inputs, plus confirm=1 and a fresh CSRF token. With
JavaScript the form's own <dialog> (templates/_confirm.html, static/js/confirm.js) asks the
same question in place and adds confirm=1 itself, so the page is never needed. Both say one
`Question`, written once by the area that asks it."""

from dataclasses import dataclass, field

from flask import render_template, request

CONFIRM_FIELD = "confirm"
# Never carried over: the token is the confirmation page's own; confirm is what it adds.
_NOT_KEPT = {"csrf_token", CONFIRM_FIELD}


@dataclass(frozen=True)
class Question:
    """What is asked before an action that cannot be undone, in the same words on the page
    and in the dialog: `title` (the question itself), what will happen (`consequences`, a
    line each), the names of what goes (`removed`), and the `button` that says yes."""

    title: str
    consequences: tuple[str, ...] = field(default=())
    button: str = ""
    removed: tuple[str, ...] = field(default=())

    def __post_init__(self):
        # Lists are welcome from callers; kept as tuples, so a question never changes.
        object.__setattr__(self, "consequences", tuple(self.consequences))
        object.__setattr__(self, "removed", tuple(self.removed))


def confirmed() -> bool:
    """True when the person has confirmed: the POST carries confirm=1."""
    return request.method == "POST" and request.form.get(CONFIRM_FIELD) == "1"


def ask(question: Question, *, back: str = "", staff: bool | None = None, status: int = 200):
    """The confirmation page: the question's title as its heading, each consequence a line,
    the removed names listed, its button posting the same form again with confirm=1, and a
    way `back` (without one, a button back to the form as it was filled in). Files cannot be
    sent again from a page: a file field that came with the form is asked for once more on
    the page (the form's letter, say), so nothing is lost quietly."""
    fields = [
        (name, value) for name, value in request.form.items(multi=True) if name not in _NOT_KEPT
    ]
    files = sorted({name for name, upload in request.files.items(multi=True) if upload.filename})
    if staff is None:
        staff = request.path.startswith("/staff/")
    return render_template(
        "confirm.html",
        question=question,
        back=back,
        action=request.full_path.rstrip("?"),
        fields=fields,
        files=files,
        layout="staff/base.html" if staff else "base.html",
    ), status
