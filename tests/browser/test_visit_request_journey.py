"""A visit request in a real browser: the letter comes first, staff decide, the contact adds
the delegation, the reply letter prints on one A4 page."""

import io
import re
from datetime import date, timedelta

from pypdf import PdfReader
from sqlalchemy import select

from planner.core.database import db
from planner.delegations.models import Delegation, DelegationStatus
from planner.programs.models import Program, ProgramStatus
from planner.visits.models import VisitRequest
from tests.browser.conftest import ARTIFACTS, DESK, PHONE
from tests.helpers import pdf_bytes

TOKEN_URL = re.compile(r".*/visits/r/[A-Za-z0-9_-]{40,}$")


def shot(page, name: str) -> None:
    folder = ARTIFACTS / "visit-requests"
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


def monday_in(weeks: int) -> date:
    today = date.today()
    return today + timedelta(days=7 * weeks - today.weekday())


def planned_visit(server, day: date, title: str) -> str:
    """A published program on `day` that another regency already attends."""
    with server.app.app_context():
        program = Program(
            slug=re.sub(r"[^a-z0-9]+", "-", title.lower()) + day.strftime("-%Y%m%d"),
            title=title,
            first_day=day,
            last_day=day,
            timezone="Asia/Jakarta",
            status=ProgramStatus.PUBLISHED,
        )
        program.items  # noqa: B018  (an empty agenda is fine for a clash)
        db.session.add(program)
        db.session.add(
            Delegation(
                program=program,
                status=DelegationStatus.APPROVED,
                institution="Pemerintah Kabupaten Sigi",
                province="Sulawesi Tengah",
                leader_name="Mohamad Rizal Intjenae",
                leader_title="Bupati Sigi",
                contact_name="Protokol Sigi",
                contact_phone="+6281234500000",
                contact_email="protokol@sigikab.go.id",
            )
        )
        db.session.commit()
        return program.public_id


def a_letter(tmp_path):
    path = tmp_path / "surat-permohonan.pdf"
    path.write_bytes(pdf_bytes())
    return path


def requester_sends(page, server, tmp_path, institution: str, first: date, second: date) -> str:
    page.goto(server.url + "/")
    page.click("text=Ajukan kunjungan kerja")
    page.wait_for_url(server.url + "/visits/request")
    for field, value in {
        "#institution": institution,
        "#province": "Kalimantan Tengah",
        "#leader_name": "H. Yulhaidir",
        "#leader_title": "Bupati Seruyan",
        "#contact-name": "Syahrul Ramadhan",
        "#contact-phone": "0813 4987 6543",
        "#contact-email": "protokol@seruyankab.go.id",
        "#request_letter-number": "005/77/Org/2026",
        "#request_letter-date": "2026-11-20",
        "#wished_dates-0-first_day": first.isoformat(),
        "#wished_dates-0-last_day": first.isoformat(),
        "#wished_dates-1-first_day": second.isoformat(),
        "#wished_dates-1-last_day": second.isoformat(),
        "#size": "30",
    }.items():
        page.fill(field, value)
    page.locator("label.check", has_text="Mal Pelayanan Publik").locator("input").check()
    page.locator("label.check", has_text="SAKIP").locator("input").check()
    page.set_input_files("#request_letter-file", str(a_letter(tmp_path)))
    page.click("text=Kirim permohonan")
    page.wait_for_url(TOKEN_URL)
    assert "Simpan tautan ini" in page.inner_text(".key-banner")
    return page.url


def staff_opens(page, server, institution: str) -> None:
    page.goto(server.url + "/staff/requests?status=new")
    page.click(f"text={institution}")
    page.wait_for_url(re.compile(r".*/staff/requests/[0-9a-f]{32}$"))


def test_a_request_becomes_a_program_with_thirty_members_and_a_reply_letter(
    live_server, browser_page, tmp_path
):
    first, second = monday_in(4), monday_in(4) + timedelta(days=2)
    planned_visit(live_server, first, "Studi tiru Pemkab Sigi")

    requester = browser_page(PHONE)
    request_url = requester_sends(
        requester, live_server, tmp_path, "Pemerintah Kabupaten Seruyan", first, second
    )
    shot(requester, "1-request-sent")

    staff = browser_page(DESK)
    live_server.login(staff)
    staff_opens(staff, live_server, "Pemerintah Kabupaten Seruyan")
    first_choice = staff.locator(".clashes").first
    assert "jadwal bentrok" in first_choice.inner_text()
    assert "Studi tiru Pemkab Sigi" in first_choice.inner_text()
    assert "Studi tiru Pemkab Sigi" not in staff.locator(".clashes").nth(1).inner_text()
    shot(staff, "2-inbox-clash")
    staff.fill("#propose-first_day", second.isoformat())
    staff.fill("#propose-last_day", second.isoformat())
    staff.fill("#propose-reason", "Pada tanggal pertama sudah ada kunjungan Pemkab Sigi.")
    staff.click("#propose-heading ~ form button[type=submit]")
    assert "tanggal lain diusulkan" in staff.inner_text(".flashes")

    requester.goto(request_url)
    assert "Tuan rumah mengusulkan tanggal lain" in requester.inner_text("main")
    shot(requester, "3-proposal")
    requester.click("text=Terima tanggal ini")
    assert "Anda menerima tanggal ini" in requester.inner_text("main")

    staff.reload()
    assert "pemohon menerima" in staff.inner_text(".page-head")
    staff.select_option("#accept-template", label="Studi tiru MPP + SAKIP, 1 hari")
    assert staff.input_value("#accept-first_day") == second.isoformat()
    staff.fill("#accept-reason", "Kami menunggu kedatangan Bapak/Ibu.")
    staff.click("#accept-heading ~ form button[type=submit]")
    assert "diterima" in staff.inner_text(".flashes")

    # The same link now opens the delegation, where the contact adds the other 29 members.
    requester.goto(request_url)
    requester.wait_for_url(re.compile(r".*/d/[A-Za-z0-9_-]{40,}$"))
    assert "H. Yulhaidir" in requester.inner_text("main")
    requester.click("text=Ubah data, anggota dan pilihan acara")
    for row in range(1, 30):
        if requester.locator(f"#members-{row}-full_name").count() == 0:
            requester.click("[data-add-row]")
        requester.fill(f"#members-{row}-full_name", f"Anggota Seruyan {row + 1}")
        requester.fill(f"#members-{row}-position", "Kepala Bagian")
    requester.click("button[name=save]")
    requester.wait_for_url(re.compile(r".*/d/[A-Za-z0-9_-]{40,}$"))
    assert "Anggota Seruyan 30" in requester.inner_text("main")
    shot(requester, "4-delegation-with-thirty")
    with live_server.app.app_context():
        visit = db.session.scalar(
            select(VisitRequest).where(VisitRequest.institution == "Pemerintah Kabupaten Seruyan")
        )
        assert len(visit.delegation.members) == 30
        titles = [item.title for item in visit.program.items]
        visit_id = visit.public_id
    assert any("Mal Pelayanan Publik" in t for t in titles) and any("SAKIP" in t for t in titles)
    assert not any("Ijen" in title for title in titles)  # not asked for

    staff.goto(f"{live_server.url}/staff/requests/{visit_id}/reply")
    staff.fill("#reply_number", "005/412/429.101/2026")
    staff.click("text=Simpan dan cetak")
    staff.wait_for_url(re.compile(r".*/reply/print$"))
    sheet = staff.inner_text("main")
    assert "Yth. Bupati Seruyan" in sheet and "005/412/429.101/2026" in sheet
    assert "Nomor 005/77/Org/2026 tanggal 20 November 2026" in sheet
    assert re.search(r"Banyuwangi, \d{1,2} \w+ 20\d\d", sheet)
    pdf = staff.pdf(format="A4", print_background=True)
    (ARTIFACTS / "visit-requests").mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "visit-requests" / "surat-balasan.pdf").write_bytes(pdf)
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 1


def test_merge_and_decline_in_the_browser(live_server, browser_page, tmp_path):
    day = monday_in(5)
    planned_visit(live_server, day, "Studi tiru bersama Pemkab Sigi")
    requester = browser_page(PHONE)
    merged_url = requester_sends(
        requester, live_server, tmp_path, "Pemerintah Kota Palangka Raya", day, day
    )
    declined_url = requester_sends(
        requester, live_server, tmp_path, "Pemerintah Kabupaten Katingan", day, day
    )
    staff = browser_page(DESK)
    live_server.login(staff)

    staff_opens(staff, live_server, "Pemerintah Kota Palangka Raya")
    staff.select_option("#merge-program", label=f"Studi tiru bersama Pemkab Sigi ({day:%d.%m.%Y})")
    staff.fill("#merge-reason", "Digabung dengan rombongan Pemkab Sigi.")
    staff.click("#merge-heading ~ form button[type=submit]")
    assert "digabungkan" in staff.inner_text(".flashes")
    assert "Rombongan dibuat dari permohonan" in staff.inner_text("main")
    requester.goto(merged_url)
    requester.wait_for_url(re.compile(r".*/d/[A-Za-z0-9_-]{40,}$"))
    assert "Studi tiru bersama Pemkab Sigi" in requester.inner_text("main")

    staff_opens(staff, live_server, "Pemerintah Kabupaten Katingan")
    staff.fill("#decline-reason", "Bupati sedang dinas luar daerah.")
    staff.click("#decline-heading ~ form button[type=submit]")
    dialog = staff.locator("dialog[open]")
    assert "Tolak permohonan kunjungan dari" in dialog.inner_text()
    with staff.expect_navigation():
        dialog.locator("[data-confirm-yes]").click()
    assert "ditolak" in staff.inner_text(".flashes")
    assert "Permohonan kunjungan ditolak" in staff.inner_text("main")
    requester.goto(declined_url)
    assert "Bupati sedang dinas luar daerah." in requester.inner_text("main")
    assert "Tarik permohonan" not in requester.inner_text("main")
    shot(requester, "5-declined")


def test_open_days_show_the_ijen_closure_and_a_full_day(live_server, browser_page):
    day = monday_in(7) + timedelta(days=1)
    for title in ("Kunjungan A", "Kunjungan B"):
        planned_visit(live_server, day, title)  # two delegations: the host's daily limit
    page = browser_page(PHONE)
    page.goto(f"{live_server.url}/visits/availability?from={monday_in(7).isoformat()}")
    full = page.locator(f'[data-day="{day.isoformat()}"]')
    assert "open-day--closed" in full.get_attribute("class")
    assert "penuh" in full.inner_text()
    first_friday = next(
        d
        for d in (monday_in(7) + timedelta(days=n) for n in range(42))
        if d.weekday() == 4 and d.day <= 7
    )
    page.goto(f"{live_server.url}/visits/availability?from={first_friday.isoformat()}")
    friday = page.locator(f'[data-day="{first_friday.isoformat()}"]')
    assert "Kawah Ijen" in friday.inner_text() and "tutup" in friday.inner_text()
    ijen = page.locator("label.check", has_text="Ijen").locator("input")
    ijen.check()
    page.click("text=Tampilkan")
    friday = page.locator(f'[data-day="{first_friday.isoformat()}"]')
    assert "open-day--closed" in friday.get_attribute("class")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    shot(page, "6-open-days")
