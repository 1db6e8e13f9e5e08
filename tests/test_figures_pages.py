"""The figures page, its workbook and its printed summary (issue 18), on a small history whose
numbers can be counted by hand (tests/test_figures.py checks the numbers themselves)."""

import io
import re
from datetime import date, time

import pytest
from flask_babel import force_locale
from flask_babel import gettext as _
from openpyxl import load_workbook

from planner.core.database import db
from planner.delegations.models import DelegationStatus
from planner.programs.models import ItemKind
from planner.programs.times import host_today
from planner.visits.host import profile
from tests.helpers import count_queries, text

APPROVED = DelegationStatus.APPROVED
SHEETS = [
    "Summary",
    "By month",
    "Provinces",
    "Regencies and cities",
    "Programs",
    "Topics",
    "Repeat visitors",
    "Venues",
    "Busiest days",
    "Optional items",
]


class History:
    """2025: Seruyan (3 people) in May. 2026: Seruyan (4) and Palangkaraya (3) in March, with
    two of Seruyan on the Ijen trek; a cancelled delegation (5) in March; a waitlisted one (2)
    in October."""

    def __init__(self, make_program, make_item, make_venue, make_delegation):
        self.make_program, self.make_delegation = make_program, make_delegation
        paltuding = make_venue(name="Pos Paltuding")
        before = make_program(title="Studi tiru 2025", first_day=date(2025, 5, 5))
        make_delegation(before, members=3, status=APPROVED, region_code="62.07")
        self.march = make_program(title="Studi tiru MPP", first_day=date(2026, 3, 10))
        self.trek = make_item(
            self.march,
            title="Pendakian Kawah Ijen",
            kind=ItemKind.FIELD_TRIP,
            start=time(1),
            end=time(6),
            optional=True,
            capacity=40,
            venue=paltuding,
        )
        seruyan = make_delegation(self.march, members=4, status=APPROVED, region_code="62.07")
        make_delegation(self.march, members=3, status=APPROVED, region_code="62.71")
        make_delegation(
            self.march, members=5, status=DelegationStatus.CANCELLED, region_code="35.07"
        )
        october = make_program(title="Studi banding SAKIP", first_day=date(2026, 10, 6))
        make_delegation(october, members=2, status=DelegationStatus.WAITLISTED)
        seruyan.members[0].optional_items.append(self.trek)
        seruyan.members[1].optional_items.append(self.trek)
        host = profile()
        host.name, host.office = "PEMERINTAH KABUPATEN BANYUWANGI", "SEKRETARIAT DAERAH"
        host.place = "Banyuwangi"
        db.session.commit()

    def grow(self, n: int) -> None:
        """More programs, delegations and places of origin, in the year and around it."""
        for k in range(n):
            for first_day in (date(2026, 1 + k % 12, 3), date(2024, 6, 1 + k)):
                program = self.make_program(first_day=first_day)
                for code in ("11.06", "52.03", "73.06"):
                    self.make_delegation(
                        program, members=2 + k % 3, status=APPROVED, region_code=code
                    )


@pytest.fixture
def history(make_program, make_item, make_venue, make_delegation):
    return History(make_program, make_item, make_venue, make_delegation)


def ids(client, url: str) -> str:
    return text(client.get(url, headers={"Accept-Language": "id"}))


def test_the_figures_need_a_staff_login(client, history):
    for url in (
        "/staff/figures?year=2026",
        "/staff/figures/2026.xlsx",
        "/staff/figures/2026/summary",
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/staff/login")


def test_the_staff_menu_links_to_the_figures(staff_client):
    page = text(staff_client.get("/staff/"))
    assert 'href="/staff/figures"' in page


def test_the_page_shows_the_years_numbers_compared_with_the_year_before(staff_client, history):
    page = ids(staff_client, "/staff/figures?year=2026")
    headline = re.findall(
        r'figures-headline__value">([^<]*)(?:<span class="figures-headline__unit">([^<]*))?', page
    )
    # 2 visits (7 people) against 1 (3 people); 3.5 people a delegation, written the Indonesian way
    assert [value.strip() for value, _unit in headline][:3] == ["2", "7", "3,5"]
    assert "+1 (+100%)" in page and "+4 (+133%)" in page
    # March: 2 visits and the cancelled one; October: the waitlisted one
    march = re.search(r"<th scope=\"row\">Mar</th>(.*?)</tr>", page).group(1)
    assert re.findall(r">(\d+)</td>", march) == ["2", "0", "0", "1", "0"]
    assert "Kalimantan Tengah" in page
    assert "Kabupaten Seruyan" in page and "Kota Palangkaraya" in page
    assert re.search(r"<strong>Kabupaten Seruyan</strong>: 2025, 2026", page)
    trek = re.search(r'<th scope="row">Pendakian Kawah Ijen(.*?)</tr>', page, re.S).group(1)
    assert re.findall(r'class="num">([^<]+)</td>', trek) == ["2", "40"]
    assert 'href="/staff/figures/2026.xlsx"' in page
    assert 'href="/staff/figures/2026/summary"' in page
    assert 'href="/staff/figures?year=2025"' in page and 'href="/staff/figures?year=2027"' in page


def test_every_chart_is_an_image_with_a_title_and_its_numbers_in_a_table(staff_client, history):
    page = ids(staff_client, "/staff/figures?year=2026")
    charts = re.findall(r'<svg class="chart [^"]*" role="img" aria-labelledby="([^"]+)"', page)
    assert len(charts) == 9
    for title_id in charts:
        assert re.search(rf'<title id="{title_id}">[^<]+2026[^<]*</title>', page)
    assert page.count("<table") >= 9
    assert "<script" not in page.split("<main", 1)[1].split("</main>", 1)[0]


def test_numbers_follow_the_language(staff_client, make_program, make_delegation):
    program = make_program(first_day=date(2026, 4, 7))
    for _n in range(50):
        make_delegation(program, members=30, status=APPROVED, region_code="62.07")
    indonesian = ids(staff_client, "/staff/figures?year=2026")
    english = text(staff_client.get("/staff/figures?year=2026", headers={"Accept-Language": "en"}))
    assert ">1.500<" in indonesian and ">1,500<" in english
    assert "Figures 2026" in english and "Delegations" in english


def test_without_a_year_the_page_shows_the_hosts_current_year(staff_client, history):
    response = staff_client.get("/staff/figures")
    assert response.status_code == 200
    with staff_client.application.app_context():
        this_year = host_today().year
    assert f'name="year" value="{this_year}"' in text(response)
    assert f"/staff/figures/{this_year}.xlsx" in text(response)


@pytest.mark.parametrize("year", ["abc", "1850", "99999", "2026.5", "٢٠٢٦", "-1", "2e3"])
def test_a_bad_year_is_a_clear_message_at_the_field(staff_client, year):
    response = staff_client.get("/staff/figures", query_string={"year": year})
    assert response.status_code == 400
    page = text(response)
    assert 'id="year-error"' in page and "2000" in page
    assert 'aria-invalid="true"' in page


@pytest.mark.parametrize("url", ["/staff/figures/1999.xlsx", "/staff/figures/3000/summary"])
def test_a_year_out_of_range_in_a_download_link_is_not_found(staff_client, url):
    assert staff_client.get(url).status_code == 404


def test_an_empty_year_shows_its_empty_tables(staff_client):
    page = ids(staff_client, "/staff/figures?year=2031")
    assert 'figures-headline__value">0<' in page
    assert page.count('class="empty"') >= 5


def test_the_workbook_has_a_sheet_per_table_with_numbers_as_numbers(staff_client, history):
    response = staff_client.get("/staff/figures/2026.xlsx", headers={"Accept-Language": "en"})
    assert response.status_code == 200
    assert response.mimetype.endswith("spreadsheetml.sheet")
    assert "2026.xlsx" in response.headers["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == SHEETS
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2"
        assert all(cell.font.bold for cell in sheet[1] if cell.value is not None)
    summary = {row[0]: row[1:] for row in book["Summary"].iter_rows(min_row=2, values_only=True)}
    assert summary["Delegations"] == (2, 1, 1)
    assert summary["Participants"] == (7, 3, 4)
    assert summary["Average delegation size"] == (3.5, 3.0, 0.5)
    assert [c.value for c in book["Summary"][1]] == ["Figure", "2026", "2025", "Difference"]
    provinces = list(book["Provinces"].iter_rows(min_row=2, values_only=True))
    assert provinces[0] == ("62", "Kalimantan Tengah", 2, 7)
    months = list(book["By month"].iter_rows(min_row=2, values_only=True))
    assert len(months) == 12
    assert months[2][:3] == ("Mar", 2, 7)  # visits: delegations, participants
    assert months[2][7:9] == (1, 5)  # cancelled
    repeat = list(book["Repeat visitors"].iter_rows(min_row=2, values_only=True))
    assert repeat == [("Kabupaten Seruyan", "Kalimantan Tengah", "2025, 2026", 2)]
    optional = list(book["Optional items"].iter_rows(min_row=2, values_only=True))
    assert optional[0][1] == "Pendakian Kawah Ijen" and optional[0][3:5] == (2, 40)
    assert optional[0][2].date() == date(2026, 3, 10)


def test_the_workbooks_sheet_names_are_in_the_users_language(app, staff_client, history):
    response = staff_client.get("/staff/figures/2026.xlsx", headers={"Accept-Language": "id"})
    book = load_workbook(io.BytesIO(response.data))
    with app.test_request_context(headers={"Accept-Language": "id"}), force_locale("id"):
        expected = [_(name)[:31] for name in SHEETS]
    assert book.sheetnames == expected


def test_the_summary_is_a_printable_sheet_with_the_hosts_letterhead(staff_client, history):
    response = staff_client.get("/staff/figures/2026/summary", headers={"Accept-Language": "id"})
    assert response.status_code == 200
    page = text(response)
    assert "css/print.css" in page and 'class="sheet sheet--flow figures-summary"' in page
    assert "PEMERINTAH KABUPATEN BANYUWANGI" in page and "SEKRETARIAT DAERAH" in page
    assert re.search(r"<h1>[^<]*2026</h1>", page)
    assert len(re.findall(r'<svg class="chart [^"]*" role="img"', page)) >= 4
    assert "Kabupaten Seruyan" in page and "Pendakian Kawah Ijen" in page
    assert '<p class="summary-date">Banyuwangi, ' in page


def test_the_summary_lists_the_largest_rows_and_says_how_many_more(staff_client, history):
    history.grow(12)  # 14 programs in 2026: the summary shows ten
    page = ids(staff_client, "/staff/figures/2026/summary")
    assert page.count("figures-more") == 1
    assert "(all of them are in the workbook)" in page or "workbook" not in page


@pytest.mark.parametrize(
    "url", ["/staff/figures?year=2026", "/staff/figures/2026.xlsx", "/staff/figures/2026/summary"]
)
def test_the_figures_cost_the_same_queries_however_much_history(app, staff_client, history, url):
    history.grow(1)
    few = count_queries(app, staff_client, url)
    history.grow(5)
    assert count_queries(app, staff_client, url) == few


def test_the_year_links_stop_at_the_ends_of_the_range(staff_client):
    with staff_client.application.app_context():
        last = host_today().year + 5
    page = text(staff_client.get(f"/staff/figures?year={last}"))
    assert f"year={last + 1}" not in page and f"year={last - 1}" in page
    page = text(staff_client.get("/staff/figures?year=2000"))
    assert "year=1999" not in page


def test_the_summary_prints_before_the_host_has_filled_in_its_letterhead(staff_client):
    response = staff_client.get("/staff/figures/2026/summary", headers={"Accept-Language": "en"})
    assert response.status_code == 200
    assert "Host regional government" in text(response)
