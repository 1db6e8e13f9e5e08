"""Asking before what cannot be undone: one page for every such action, working without
JavaScript. A view acts only when the POST carries confirm=1; otherwise it answers with the
shared page (templates/confirm.html), which says what will happen and posts the same form
again, its fields kept as hidden inputs, plus confirm=1 and a fresh CSRF token. With
JavaScript the form's own <dialog> (templates/_confirm.html, static/js/confirm.js) asks the
same question in place and adds confirm=1 itself, so the page is never needed."""

from flask import render_template, request

CONFIRM_FIELD = "confirm"
# Never carried over: the token is the confirmation page's own; confirm is what it adds.
_NOT_KEPT = {"csrf_token", CONFIRM_FIELD}


def confirmed() -> bool:
    """True when the person has confirmed: the POST carries confirm=1."""
    return request.method == "POST" and request.form.get(CONFIRM_FIELD) == "1"


def ask(
    question: str,
    consequences: list[str] | tuple[str, ...] = (),
    button: str = "",
    back: str = "",
    *,
    removed: list[str] | tuple[str, ...] = (),
    staff: bool | None = None,
    status: int = 200,
):
    """The confirmation page: `question` as its heading, each consequence a line, `removed`
    (names) listed, a `button` that posts the same form again with confirm=1, and a way
    `back`. Files cannot be sent again from a page: a file field that came with the form is
    asked for once more on the page (the form's letter, say), so nothing is lost quietly."""
    fields = [
        (name, value) for name, value in request.form.items(multi=True) if name not in _NOT_KEPT
    ]
    files = sorted({name for name, upload in request.files.items(multi=True) if upload.filename})
    if staff is None:
        staff = request.path.startswith("/staff/")
    return render_template(
        "confirm.html",
        question=question,
        consequences=list(consequences),
        removed=list(removed),
        button=button,
        back=back,
        action=request.full_path.rstrip("?"),
        fields=fields,
        files=files,
        layout="staff/base.html" if staff else "base.html",
    ), status
