"""The public, read-only pages: the program list, a program's agenda, the health check."""

from datetime import date, time

from planner.core.database import db
from planner.demo import DEMO_SLUG, load_demo
from planner.programs.models import ProgramStatus
from tests.conftest import make_test_app


def test_home_lists_published_listed_programs_only(client, make_program):
    make_program(title="Studi tiru terbuka")
    make_program(title="Masih draf", status=ProgramStatus.DRAFT)
    make_program(title="Tidak terdaftar", listed=False)
    make_program(title="Diarsipkan", status=ProgramStatus.ARCHIVED)
    page = client.get("/").get_data(as_text=True)
    assert "Studi tiru terbuka" in page
    assert "Masih draf" not in page
    assert "Tidak terdaftar" not in page
    assert "Diarsipkan" not in page


def test_an_unlisted_program_is_reachable_by_its_link(client, make_program):
    program = make_program(title="Tidak terdaftar", listed=False)
    assert client.get(f"/programs/{program.slug}").status_code == 200


def test_drafts_and_unknown_slugs_are_a_404_page_in_the_site_style(client, make_program):
    draft = make_program(status=ProgramStatus.DRAFT)
    for url in (f"/programs/{draft.slug}", "/programs/tidak-ada"):
        response = client.get(url)
        assert response.status_code == 404
        page = response.get_data(as_text=True)
        assert 'class="site-header"' in page
        assert "Halaman tidak ditemukan" in page


def test_program_page_shows_times_in_the_program_zone_grouped_by_day(
    client, make_program, make_item, make_venue
):
    program = make_program(first_day=date(2026, 12, 9), timezone="Asia/Jakarta")
    venue = make_venue(name="Pos Paltuding")
    # 01:00 WIB on the second day is 18:00 UTC on the first day.
    trek = make_item(
        program,
        title="Pendakian Kawah Ijen",
        day=date(2026, 12, 10),
        start=time(1, 0),
        end=time(7, 0),
        venue=venue,
        presenter="Pemandu TWA",
        dress_code="Jaket tebal",
        requirements="Surat keterangan sehat",
    )
    assert trek.starts_at.hour == 18 and trek.starts_at.day == 9
    page = client.get(f"/programs/{program.slug}").get_data(as_text=True)
    second_day = page.index("Kamis, 10 Desember 2026")
    assert page.index("Rabu, 9 Desember 2026") < second_day < page.index("Pendakian Kawah Ijen")
    assert "01.00" in page and "07.00" in page and "WIB" in page
    for text in ("Pos Paltuding", "Pemandu TWA", "Jaket tebal", "Surat keterangan sehat"):
        assert text in page


def test_a_program_in_central_indonesia_shows_wita(client, make_program, make_item):
    program = make_program(timezone="Asia/Makassar")
    make_item(program, start=time(9, 0), end=time(10, 0))
    page = client.get(f"/programs/{program.slug}").get_data(as_text=True)
    assert "09.00" in page and "WITA" in page


def test_cancelled_items_stay_visible_as_cancelled(client, make_program, make_item):
    program = make_program()
    make_item(program, title="Paparan SAKIP", status="cancelled")
    page = client.get(f"/programs/{program.slug}").get_data(as_text=True)
    assert "Paparan SAKIP" in page and "Dibatalkan" in page


def test_the_demo_is_served_at_home_and_program_page(client):
    load_demo(today=date(2026, 11, 28))
    db.session.commit()
    home = client.get("/").get_data(as_text=True)
    assert "Studi Tiru Inovasi Pelayanan Publik" in home
    page = client.get(f"/programs/{DEMO_SLUG}")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Rabu, 2 Desember 2026" in text  # the next Wednesday after Saturday 28 November
    assert "Pendakian malam ke Kawah Ijen" in text
    # Personal data never reaches a public page.
    assert "Yulhaidir" not in text and "Syahrul" not in text


def test_healthz_reports_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "database": "ok"}


def test_healthz_says_when_the_database_is_unreachable(tmp_path):
    app = make_test_app("sqlite:///" + str(tmp_path / "missing-dir" / "x.sqlite3"))
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json["database"] == "unreachable"


def test_language_switch_and_accept_language(client, make_program):
    program = make_program(first_day=date(2026, 12, 9))
    url = f"/programs/{program.slug}"
    assert "Rabu, 9 Desember 2026" in client.get(url).get_data(as_text=True)
    english = client.get(url, headers={"Accept-Language": "en-US,en;q=0.9"})
    assert "Wednesday, 9 December 2026" in english.get_data(as_text=True)
    switched = client.get(f"/language/en?next={url}")
    assert switched.status_code == 303 and switched.headers["Location"] == url
    page = client.get(url).get_data(as_text=True)
    assert "Wednesday, 9 December 2026" in page and '<html lang="en">' in page


def test_language_switch_never_redirects_off_site(client):
    response = client.get("/language/en?next=//evil.example/x")
    assert response.headers["Location"] == "/"


def test_nul_bytes_in_urls_are_refused_not_crashed_on(client, make_program):
    program = make_program()
    assert client.get(f"/programs/{program.slug}%00").status_code == 404
    assert client.get(f"/programs/{program.slug}/register?x=%00").status_code == 400


def test_a_program_that_is_over_leaves_the_lists_but_keeps_its_page(
    client, make_program, monkeypatch
):
    from planner.programs import queries

    monkeypatch.setattr(queries, "host_today", lambda: date(2026, 12, 10))
    make_program(title="Sudah lewat", first_day=date(2026, 12, 8))  # ended on 9 December
    today = make_program(title="Hari terakhir", first_day=date(2026, 12, 9))
    past = make_program(title="Tahun lalu", first_day=date(2025, 12, 8))
    page = client.get("/").get_data(as_text=True)
    assert "Hari terakhir" in page
    assert "Sudah lewat" not in page and "Tahun lalu" not in page
    listed = [program["slug"] for program in client.get("/api/v1/programs").json["programs"]]
    assert listed == [today.slug]
    assert client.get(f"/programs/{past.slug}").status_code == 200
    assert client.get(f"/api/v1/programs/{past.slug}").status_code == 200
