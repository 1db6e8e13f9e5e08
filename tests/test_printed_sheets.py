"""Printed sheets that fit their purpose on A4 portrait (issue 19): the SPPD list's host
signature column has room for a signature and a stamp, nothing passes the right margin, the
sheet's heading and the table's head print again on every page, pages are numbered, and the
sign-off reads "Banyuwangi, 3 Desember 2026" as the host's letters do."""

import re
from datetime import date
from pathlib import Path

import pytest

from planner.core.database import db
from planner.delegations.models import DelegationStatus
from planner.visits.host import profile
from tests.helpers import login, text

A4_WIDTH_MM = 210
PAGE_MARGIN_MM = 12  # left and right, @page list


@pytest.fixture
def print_css(app) -> str:
    return (Path(app.static_folder) / "css" / "print.css").read_text()


def rule(css: str, selector: str) -> str:
    """The declarations of the rule for exactly `selector` (the first such rule)."""
    match = re.search(rf"(?:^|[}}\n])\s*{re.escape(selector)}\s*\{{([^}}]*)\}}", css)
    assert match, f"no rule for {selector}"
    return match.group(1)


def width_mm(css: str, selector: str) -> float:
    found = re.search(r"width:\s*([\d.]+)mm", rule(css, selector))
    assert found, f"{selector} has no width in mm"
    return float(found.group(1))


@pytest.fixture
def sppd_delegation(make_program, make_delegation):
    program = make_program(first_day=date(2026, 12, 2), host_official_name="Dr. Ir. H. Mujiono")
    delegation = make_delegation(
        program,
        members=3,
        status=DelegationStatus.APPROVED,
        arrives_on=date(2026, 12, 2),
        departs_on=date(2026, 12, 3),
    )
    return delegation


def sppd_page(client, make_staff, delegation) -> str:
    login(client, make_staff())
    response = client.get(f"/staff/delegations/{delegation.public_id}/sppd")
    assert response.status_code == 200
    return text(response)


def test_the_sppd_signature_column_is_wide_enough_to_sign_and_stamp_and_fits_a4(
    client, make_staff, sppd_delegation, print_css
):
    page = sppd_page(client, make_staff, sppd_delegation)
    columns = re.findall(r'<col class="(sppd__\w+)">', page)
    assert columns[-1] == "sppd__sign"
    assert "table-layout: fixed" in rule(print_css, ".sppd")
    assert width_mm(print_css, ".sppd .sppd__sign") >= 45
    # Every column but the position's is fixed; together they leave the position room and do
    # not pass the right margin of A4 portrait.
    fixed = {
        "sppd__num": ".sppd .sppd__num",
        "sppd__name": ".sppd .sppd__name",
        "sppd__rank": ".sppd .sppd__rank",
        "sppd__dates": ".sppd .sppd__dates, .sppd .sppd__present",
        "sppd__present": ".sppd .sppd__dates, .sppd .sppd__present",
        "sppd__sign": ".sppd .sppd__sign",
    }
    assert set(columns) == {*fixed, "sppd__position"}
    used = sum(width_mm(print_css, selector) for selector in fixed.values())
    assert used + 25 <= A4_WIDTH_MM - 2 * PAGE_MARGIN_MM
    # Each row is tall enough for a signature.
    assert width_mm(print_css.replace("height:", "width:"), ".sppd tbody td") >= 12


def test_the_heading_and_the_table_head_repeat_on_every_page(
    client, make_staff, sppd_delegation, print_css
):
    page = sppd_page(client, make_staff, sppd_delegation)
    head = page[page.index("<thead>") : page.index("</thead>")]
    assert "<h1>Pengesahan Surat Perintah Perjalanan Dinas (SPPD)</h1>" in head
    assert "Tanda tangan tuan rumah" in head
    assert "display: table-header-group" in rule(print_css, ".grid thead")
    assert "break-inside: avoid" in rule(print_css, ".grid tbody tr")
    # The sign-off goes over with the last row rather than alone on a page.
    assert "break-before: avoid" in rule(print_css, ".sheet--list .signature")


def test_lists_are_printed_with_page_numbers_and_the_figures_keep_theirs(
    client, make_staff, sppd_delegation, make_item, print_css
):
    list_page = rule(print_css, "@page list")
    assert 'counter(page) " / " counter(pages)' in list_page and "A4 portrait" in list_page
    assert "page: list" in rule(print_css, ".sheet--list")
    assert "counter(pages)" in print_css[print_css.index("@page figures") :]
    assert "page: figures" in rule(print_css, ".figures-summary")
    program = sppd_delegation.program
    item = make_item(program)
    db.session.commit()
    pages = [
        f"/staff/delegations/{sppd_delegation.public_id}/sppd",
        f"/staff/items/{item.public_id}/attendance",
        f"/staff/programs/{program.slug}/seating",
        f"/staff/programs/{program.slug}/print/agenda",
    ]
    login(client, make_staff())
    for url in pages:
        page = text(client.get(url))
        assert re.search(r'class="sheet [^"]*\bsheet--list\b', page), url
        head = page[page.index("<thead>") : page.index("</thead>")]
        assert "<h1>" in head, url


def signoff(page: str) -> str:
    return re.search(r'<footer class="signature[^"]*">\s*<p>([^<]*)</p>', page).group(1)


def test_the_sppd_is_signed_at_the_hosts_place_on_the_day_of_departure(
    client, make_staff, sppd_delegation
):
    host = profile()
    host.place = "Banyuwangi"
    db.session.commit()
    page = sppd_page(client, make_staff, sppd_delegation)
    assert signoff(page) == "Banyuwangi, 3 Desember 2026"


def test_without_a_place_the_sppd_sign_off_is_the_date_alone(client, make_staff, sppd_delegation):
    page = sppd_page(client, make_staff, sppd_delegation)
    assert signoff(page) == "3 Desember 2026"


def test_a_long_name_prints_smaller_on_its_tag_and_every_tag_keeps_its_eighth(
    client, make_staff, sppd_delegation, print_css
):
    long_name = (
        "Prof. Dr. Ir. Hj. Raden Ayu Siti Nurhaliza Kusumaningrum Wicaksono, S.E., M.Si., Ph.D."
    )
    sppd_delegation.members[0].full_name = long_name
    db.session.commit()
    login(client, make_staff())
    page = text(client.get(f"/staff/delegations/{sppd_delegation.public_id}/name-tags"))
    assert f'<p class="tag__name tag__name--longer">{long_name}</p>' in page
    assert page.count('<p class="tag__name">') == 2  # the others as before
    assert "font-size: 10pt" in rule(print_css, ".tag__name--longer")
    # Rows and columns never grow with their text: the tags stay on the sheet's cut lines.
    sheet = rule(print_css, ".tag-sheet")
    assert "repeat(4, minmax(0, 1fr))" in sheet and "repeat(2, minmax(0, 1fr))" in sheet


def test_the_order_page_links_the_sheets_it_prepares(client, make_staff, sppd_delegation):
    login(client, make_staff())
    page = text(client.get(f"/staff/delegations/{sppd_delegation.public_id}/precedence"))
    for url in (
        f"/staff/delegations/{sppd_delegation.public_id}/name-tags",
        f"/staff/delegations/{sppd_delegation.public_id}/sppd",
        f"/staff/programs/{sppd_delegation.program.slug}/seating",
    ):
        assert f'href="{url}"' in page
