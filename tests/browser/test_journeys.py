"""The main journeys in a real browser (Debian's Chromium), from staff to member calendar."""

import re
from pathlib import Path

from icalendar import Calendar

from planner.core import outbox
from tests import icalcheck
from tests.browser.conftest import ARTIFACTS, DESK, PHONE

SLUG = "kunjungan-jelajah-ijen"
CLIMBER_EMAIL = "peserta1@kutaitimurkab.go.id"


def shot(page, name: str) -> None:
    folder = ARTIFACTS / "journeys"
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


def add_item(page, server, values: dict, optional=False) -> None:
    page.goto(f"{server.url}/staff/programs/{SLUG}/items/new")
    for field, value in values.items():
        if field in ("kind", "day", "venue"):
            page.select_option(f"#{field}", value)
        else:
            page.fill(f"#{field}", value)
    if optional:
        page.check("#optional")
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(rf".*/staff/programs/{SLUG}.*"))


def staff_builds_and_publishes(page, server) -> None:
    server.login(page)
    page.goto(server.url + "/staff/programs/new")
    page.fill("#title", "Kunjungan Jelajah Ijen")
    page.fill("#slug", SLUG)
    page.fill("#first_day", "2026-12-16")
    page.fill("#last_day", "2026-12-17")
    page.fill("#max_participants", "100")
    page.click("button[type=submit]")
    page.wait_for_url(f"{server.url}/staff/programs/{SLUG}")
    add_item(
        page,
        server,
        {
            "title": "Penyambutan",
            "kind": "welcome",
            "day": "2026-12-16",
            "start": "08:00",
            "end": "09:30",
        },
    )
    add_item(
        page,
        server,
        {
            "title": "Pendakian Kawah Ijen",
            "kind": "field_trip",
            "day": "2026-12-17",
            "start": "01:00",
            "end": "07:00",
            "capacity": "20",
            "requirements": "Surat keterangan sehat",
        },
        optional=True,
    )
    add_item(
        page,
        server,
        {
            "title": "Kelompok B: Pantai Boom",
            "kind": "tour",
            "day": "2026-12-17",
            "start": "01:30",
            "end": "03:00",
        },
        optional=True,
    )
    shot(page, "1-agenda-editor")
    page.goto(f"{server.url}/staff/programs/{SLUG}/publish")
    page.click("button[type=submit]")
    page.wait_for_url(f"{server.url}/staff/programs/{SLUG}")
    assert "diterbitkan" in page.inner_text(".page-head")


def contact_registers_thirty(page, server) -> str:
    page.goto(f"{server.url}/programs/{SLUG}/register")
    for field, value in {
        "#institution": "Pemerintah Kabupaten Kutai Timur",
        "#province": "Kalimantan Timur",
        "#leader_name": "Drs. Ardiansyah Sulaiman",
        "#leader_title": "Bupati Kutai Timur",
        "#contact-name": "Rina Wulandari",
        "#contact-phone": "0812 5566 7788",
        "#contact-email": "protokol@kutaitimurkab.go.id",
    }.items():
        page.fill(field, value)
    for row in range(30):
        if page.locator(f"#members-{row}-full_name").count() == 0:
            page.click("[data-add-row]")
        page.fill(f"#members-{row}-full_name", f"Peserta Kutai Timur {row + 1}")
        page.fill(f"#members-{row}-position", "Kepala Bidang")
        page.fill(f"#members-{row}-nip", f"1975010120000310{row:02d}")
    page.fill("#members-0-email", CLIMBER_EMAIL)
    assert page.locator("[data-add-row]").is_hidden()  # 30 is the limit
    page.fill("#members-4-nip", "12345")  # the mistake
    page.click("button[name=save]")
    error = page.locator("#members-4-nip-error")
    assert "18 angka" in error.inner_text()
    assert page.locator("#members-29-full_name").input_value() == "Peserta Kutai Timur 30"
    shot(page, "2-registration-mistake")
    page.fill("#members-4-nip", "197501012000031004")
    page.click("button[name=save]")
    page.wait_for_url(re.compile(r".*/d/[A-Za-z0-9_-]{40,}$"))
    assert "satu-satunya kunci" in page.inner_text(".key-banner")
    shot(page, "2-registered")
    return page.url


def contact_opts_ten_into_the_trek(page, delegation_url) -> None:
    page.goto(delegation_url + "/edit")
    trek = page.locator("label.check", has_text="Pendakian Kawah Ijen")
    parallel = page.locator("label.check", has_text="Kelompok B")
    for row in range(10):
        trek.nth(row).locator("input").check()
    parallel.nth(9).locator("input").check()  # row 10 also in the parallel group: refused
    page.click("button[name=save]")
    message = page.locator("#members-9-optional_items-error").inner_text()
    assert "bentrok dengan" in message
    shot(page, "3-clash-refused")
    page.locator("label.check", has_text="Kelompok B").nth(9).locator("input").uncheck()
    page.click("button[name=save]")
    page.wait_for_url(delegation_url)
    assert "10 anggota rombongan Anda ikut" in page.inner_text(".agenda")


def member_downloads_the_calendar(page, delegation_url, tmp_path) -> tuple[str, Path]:
    page.goto(delegation_url)
    member_url = page.locator(".member-card .copy-input").first.input_value()
    page.goto(member_url)
    assert "Pendakian Kawah Ijen" in page.inner_text("main")
    shot(page, "4-member-page")
    with page.expect_download() as download:
        page.click("text=Unduh .ics")
    path = tmp_path / "before.ics"
    download.value.save_as(path)
    icalcheck.check(path)
    return member_url, path


def staff_approves_and_moves_the_trek(page, server) -> None:
    page.goto(f"{server.url}/staff/programs/{SLUG}/delegations")
    page.click("text=Pemerintah Kabupaten Kutai Timur")
    page.select_option("#status", "approved")
    page.fill("#reason", "Surat permohonan lengkap")
    page.click("text=Simpan keputusan")
    assert "disetujui" in page.inner_text(".page-head")
    page.goto(f"{server.url}/staff/programs/{SLUG}")
    page.locator("#agenda-heading ~ section .editor-item", has_text="Pendakian Kawah Ijen").locator(
        "a", has_text="Ubah"
    ).click()
    page.fill("#start", "02:00")
    page.fill("#end", "08:00")
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(rf".*/staff/programs/{SLUG}.*"))
    shot(page, "5-trek-moved")


def staff_announces_the_change(page, server) -> None:
    page.goto(f"{server.url}/staff/programs/{SLUG}")
    assert "1 perubahan belum diumumkan" in page.inner_text("main")
    page.click("text=Periksa dan umumkan perubahan")
    assert "Mulai: 01.00 WIB → 02.00 WIB" in page.inner_text("main")
    shot(page, "6-change-notice-review")
    page.click("text=Kirim pemberitahuan perubahan")
    page.wait_for_url(f"{server.url}/staff/programs/{SLUG}")
    assert "belum diumumkan" not in page.inner_text("main")


def delivered_notice(server):
    mailbox = server.app.extensions["mailman"].outbox
    with server.app.app_context():
        outbox.deliver_due()
    return next(
        mail for mail in mailbox if mail.to == [CLIMBER_EMAIL] and "Perubahan" in mail.subject
    )


def trek(calendar_bytes: bytes):
    calendar = Calendar.from_ical(calendar_bytes)
    return next(e for e in calendar.walk("VEVENT") if "Ijen" in str(e["SUMMARY"]))


def test_from_agenda_to_a_members_phone_calendar(live_server, browser_page, tmp_path):
    staff = browser_page(DESK)
    staff_builds_and_publishes(staff, live_server)

    contact = browser_page(PHONE)
    delegation_url = contact_registers_thirty(contact, live_server)
    contact_opts_ten_into_the_trek(contact, delegation_url)

    member = browser_page(PHONE)
    member_url, before = member_downloads_the_calendar(member, delegation_url, tmp_path)
    old = trek(before.read_bytes())
    assert old["DTSTART"].dt.hour == 1 and int(old["SEQUENCE"]) == 0

    staff_approves_and_moves_the_trek(staff, live_server)  # still logged in
    feed = member.request.get(member_url + "/schedule.ics")
    assert feed.status == 200
    new = trek(feed.body())
    assert new["DTSTART"].dt.hour == 2 and int(new["SEQUENCE"]) == 1
    assert str(new["UID"]) == str(old["UID"])
    after = tmp_path / "after.ics"
    after.write_bytes(feed.body())
    icalcheck.check(after, previous=before)

    live_server.app.extensions["mailman"].outbox = []
    staff_announces_the_change(staff, live_server)
    notice = delivered_notice(live_server)
    assert "Mulai: 01.00 WIB → 02.00 WIB" in notice.body
    (attached,) = [a for a in notice.attachments if a[0].endswith(".ics")]
    mailed = trek(attached[1].encode())
    assert int(mailed["SEQUENCE"]) == 1 and mailed["DTSTART"].dt.hour == 2
    mailed_file = tmp_path / "mailed.ics"
    mailed_file.write_text(attached[1])
    icalcheck.check(mailed_file, previous=before)  # the attachment is as good as the feed
    member.goto(member_url)
    mark = member.locator(".stop__changed").inner_text()
    assert "Diubah:" in mark and "01.00 WIB → 02.00 WIB" in mark
    shot(member, "7-member-page-changed")
