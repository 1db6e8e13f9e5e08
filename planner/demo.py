"""The Banyuwangi demo: real places, a two-day study-visit program and a delegation of 30."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from planner.core.database import db
from planner.delegations.models import (
    CheckinPoint,
    Delegation,
    DelegationStatus,
    Member,
    MemberRole,
)
from planner.programs import announcements
from planner.programs.models import AgendaItem, ItemKind, Program, ProgramStatus
from planner.programs.times import next_weekday, to_utc
from planner.staff.models import Role, StaffUser
from planner.venues.models import ClosureKind, Venue, VenueClosure
from planner.visits import host
from planner.visits.models import (
    Holiday,
    ProgramTemplate,
    TemplateItem,
    Topic,
    VisitRequest,
    WishedDates,
)

DEMO_SLUG = "studi-tiru-banyuwangi"
DEMO_STAFF_EMAIL = "protokol@banyuwangikab.go.id"
DEMO_PASSWORD = "banyuwangi-demo"  # noqa: S105  (a published demo login, printed by make run)
TIMEZONE = "Asia/Jakarta"
WEDNESDAY = 2
FRIDAY, SATURDAY, SUNDAY = 4, 5, 6
PENDOPO = "Pendopo Sabha Swagata Blambangan"
MPP = "Mal Pelayanan Publik Banyuwangi"
AULA = "Aula Minak Jinggo"
IJEN = "Pos Paltuding, Kawah Ijen"
WARUNG = "Warung Sego Tempong Mbok Wah"

VENUES = [
    dict(
        name="Pendopo Sabha Swagata Blambangan",
        address="Jl. Sritanjung No. 1, Taman Baru, Banyuwangi",
        latitude=-8.2192,
        longitude=114.3691,
        seats=300,
        notes="Pendopo kabupaten. Parkir bus di sisi timur.",
    ),
    dict(
        name="Mal Pelayanan Publik Banyuwangi",
        address="Jl. Jaksa Agung Suprapto No. 43, Penganjuran, Banyuwangi",
        latitude=-8.2153,
        longitude=114.3664,
        seats=80,
        notes="Kunjungan dalam kelompok 15 orang.",
    ),
    dict(
        name="Aula Minak Jinggo",
        address="Kantor Pemerintah Kabupaten Banyuwangi, Jl. Ahmad Yani No. 100",
        latitude=-8.2196,
        longitude=114.3672,
        seats=150,
        notes="Proyektor dan pengeras suara tersedia.",
    ),
    dict(
        name="Pos Paltuding, Kawah Ijen",
        address="Tamansari, Licin, Banyuwangi",
        latitude=-8.0322,
        longitude=114.2283,
        seats=None,
        shared_use=True,  # an open-air trailhead: several delegations start here at once
        notes="Titik awal pendakian. Tutup setiap Jumat pertama setiap bulan.",
    ),
    dict(
        name="Warung Sego Tempong Mbok Wah",
        address="Jl. Gajah Mada, Kebalenan, Banyuwangi",
        latitude=-8.2249,
        longitude=114.3556,
        seats=60,
        notes="Pesan 1 hari sebelumnya untuk rombongan.",
    ),
]

# (day index, start, end, kind, title, venue, presenter, dress code, requirements, extra)
AGENDA = [
    (
        0,
        time(8, 0),
        time(9, 30),
        ItemKind.WELCOME,
        "Penyambutan dan ramah tamah",
        "Pendopo Sabha Swagata Blambangan",
        "Bupati Banyuwangi",
        "PDH (Pakaian Dinas Harian)",
        "",
        {},
    ),
    (
        0,
        time(9, 30),
        time(11, 30),
        ItemKind.BRIEFING,
        "Paparan SAKIP dan reformasi birokrasi Kabupaten Banyuwangi",
        "Aula Minak Jinggo",
        "Kepala Bappeda Kabupaten Banyuwangi",
        "PDH",
        "Bawa dokumen LKjIP daerah asal bila ada.",
        {},
    ),
    (
        0,
        time(12, 0),
        time(13, 0),
        ItemKind.MEAL,
        "Makan siang sego tempong",
        "Warung Sego Tempong Mbok Wah",
        "",
        "",
        "Sampaikan pantangan makanan saat pendaftaran.",
        {},
    ),
    (
        0,
        time(13, 30),
        time(15, 30),
        ItemKind.TOUR,
        "Kunjungan Mal Pelayanan Publik",
        "Mal Pelayanan Publik Banyuwangi",
        "Kepala DPMPTSP Kabupaten Banyuwangi",
        "PDH",
        "Rombongan dibagi dua kelompok.",
        {},
    ),
    (
        0,
        time(19, 0),
        time(20, 30),
        ItemKind.MEAL,
        "Jamuan makan malam dan kesenian Gandrung",
        "Pendopo Sabha Swagata Blambangan",
        "Wakil Bupati Banyuwangi",
        "Batik lengan panjang",
        "",
        {},
    ),
    (
        1,
        time(1, 0),
        time(7, 0),
        ItemKind.FIELD_TRIP,
        "Pendakian malam ke Kawah Ijen (api biru)",
        "Pos Paltuding, Kawah Ijen",
        "Pemandu TWA Kawah Ijen",
        "Pakaian olahraga, jaket tebal, sepatu gunung",
        "Surat keterangan sehat wajib. Jalan menanjak 3 km. Bawa senter, sarung tangan dan air "
        "minum; masker gas disediakan.",
        dict(optional=True, capacity=20, reminder_minutes=180),
    ),
    (
        1,
        time(10, 0),
        time(11, 30),
        ItemKind.BRIEFING,
        "Diskusi inovasi pelayanan publik: Smart Kampung",
        "Aula Minak Jinggo",
        "Kepala Dinas Kominfo Kabupaten Banyuwangi",
        "PDH",
        "",
        {},
    ),
    (
        1,
        time(12, 0),
        time(13, 0),
        ItemKind.MEAL,
        "Kuliner rujak soto dan pecel pitik",
        "Warung Sego Tempong Mbok Wah",
        "",
        "",
        "",
        {},
    ),
    (
        1,
        time(14, 0),
        time(15, 0),
        ItemKind.CEREMONY,
        "Penutupan dan penyerahan cendera mata",
        "Pendopo Sabha Swagata Blambangan",
        "Sekretaris Daerah Kabupaten Banyuwangi",
        "PDH",
        "",
        {},
    ),
]

# (full name, position, rank/grade, gender, role, dietary)
SERUYAN_MEMBERS = [
    ("H. Yulhaidir, S.Pd., M.Si.", "Bupati Seruyan", "", "L", MemberRole.LEADER, ""),
    (
        "Ir. Djainal Abidin Noor, M.Si.",
        "Sekretaris Daerah",
        "Pembina Utama Madya (IV/d)",
        "L",
        MemberRole.MEMBER,
        "",
    ),
    (
        "Drs. Agus Hariyanto, M.M.",
        "Asisten Pemerintahan dan Kesra",
        "Pembina Utama Muda (IV/c)",
        "L",
        MemberRole.MEMBER,
        "",
    ),
    (
        "Hj. Siti Rahmawati, S.E., M.Si.",
        "Kepala Bappedalitbang",
        "Pembina Utama Muda (IV/c)",
        "P",
        MemberRole.MEMBER,
        "Tidak makan seafood",
    ),
    (
        "Ahmad Fauzi Rahman, S.STP., M.Si.",
        "Kepala Bagian Organisasi",
        "Pembina (IV/a)",
        "L",
        MemberRole.MEMBER,
        "",
    ),
    (
        "Dra. Nurhayati Saleh",
        "Kepala Dinas Penanaman Modal dan PTSP",
        "Pembina Tingkat I (IV/b)",
        "P",
        MemberRole.MEMBER,
        "Vegetarian",
    ),
    (
        "Budi Santoso, S.Kom.",
        "Kepala Dinas Komunikasi dan Informatika",
        "Pembina Tingkat I (IV/b)",
        "L",
        MemberRole.MEMBER,
        "",
    ),
    (
        "Rina Marlina, S.H., M.H.",
        "Kepala Bagian Hukum",
        "Pembina (IV/a)",
        "P",
        MemberRole.MEMBER,
        "",
    ),
    (
        "Muhammad Arsyad, S.Sos.",
        "Camat Seruyan Hilir",
        "Penata Tingkat I (III/d)",
        "L",
        MemberRole.MEMBER,
        "",
    ),
    (
        "Yusran Effendi, S.T.",
        "Kepala Bidang Perencanaan Infrastruktur",
        "Penata Tingkat I (III/d)",
        "L",
        MemberRole.MEMBER,
        "",
    ),
    (
        "Dewi Kartikasari, S.E.",
        "Kepala Subbagian Kinerja",
        "Penata (III/c)",
        "P",
        MemberRole.MEMBER,
        "Alergi kacang",
    ),
    (
        "Hendra Gunawan, S.IP.",
        "Kepala Bidang Pelayanan Perizinan",
        "Penata Tingkat I (III/d)",
        "L",
        MemberRole.MEMBER,
        "",
    ),
    (
        "Sri Wahyuni, S.Pd.",
        "Analis Kebijakan Ahli Muda",
        "Penata (III/c)",
        "P",
        MemberRole.MEMBER,
        "",
    ),
    (
        "Rahmat Hidayat, S.Kom.",
        "Pranata Komputer Ahli Muda",
        "Penata (III/c)",
        "L",
        MemberRole.MEMBER,
        "",
    ),
    (
        "Nur Aini Fitriani, S.AP.",
        "Analis SDM Aparatur",
        "Penata Muda Tingkat I (III/b)",
        "P",
        MemberRole.MEMBER,
        "",
    ),
    (
        "Ir. Bambang Sutrisno",
        "Kepala Dinas Pekerjaan Umum dan Penataan Ruang",
        "Pembina Utama Muda (IV/c)",
        "L",
        MemberRole.MEMBER,
        "Diet rendah garam",
    ),
    (
        "Eko Prasetyo, S.E., M.M.",
        "Kepala Badan Pengelolaan Keuangan dan Aset Daerah",
        "Pembina Tingkat I (IV/b)",
        "L",
        MemberRole.MEMBER,
        "",
    ),
    (
        "Fitri Handayani, S.Sos.",
        "Sekretaris Camat Danau Sembuluh",
        "Penata (III/c)",
        "P",
        MemberRole.MEMBER,
        "",
    ),
    (
        "Arief Wicaksono, S.T., M.T.",
        "Kepala Bidang Tata Ruang",
        "Penata Tingkat I (III/d)",
        "L",
        MemberRole.MEMBER,
        "",
    ),
    (
        "Lilis Suryani, A.Md.",
        "Pengelola Keuangan",
        "Pengatur Tingkat I (II/d)",
        "P",
        MemberRole.STAFF,
        "",
    ),
    (
        "Syahrul Ramadhan, S.H.",
        "Kepala Subbagian Protokol",
        "Penata (III/c)",
        "L",
        MemberRole.STAFF,
        "",
    ),
    (
        "Indah Permatasari, S.I.Kom.",
        "Pranata Humas Ahli Pertama",
        "Penata Muda (III/a)",
        "P",
        MemberRole.STAFF,
        "",
    ),
    ("Joko Susilo", "Pengemudi", "Pengatur Muda Tingkat I (II/b)", "L", MemberRole.STAFF, ""),
    (
        "Hadi Purnomo, S.Sos.",
        "Kepala Dinas Kependudukan dan Pencatatan Sipil",
        "Pembina Tingkat I (IV/b)",
        "L",
        MemberRole.MEMBER,
        "",
    ),
    (
        "Maria Ulfa, S.Farm., Apt.",
        "Kepala Bidang Sumber Daya Kesehatan",
        "Penata Tingkat I (III/d)",
        "P",
        MemberRole.MEMBER,
        "Vegetarian",
    ),
    (
        "Zainal Arifin, S.Ag.",
        "Kepala Bagian Kesejahteraan Rakyat",
        "Pembina (IV/a)",
        "L",
        MemberRole.MEMBER,
        "",
    ),
    (
        "Wahyu Setiawan, S.Pi.",
        "Kepala Dinas Perikanan",
        "Pembina Tingkat I (IV/b)",
        "L",
        MemberRole.MEMBER,
        "",
    ),
    (
        "Ratna Sari Dewi, S.E.",
        "Kepala Bidang Anggaran",
        "Penata Tingkat I (III/d)",
        "P",
        MemberRole.MEMBER,
        "",
    ),
    (
        "Taufik Hidayatullah, S.STP.",
        "Lurah Kuala Pembuang I",
        "Penata (III/c)",
        "L",
        MemberRole.MEMBER,
        "",
    ),
    (
        "Yohanes Dwi Cahyono, S.T.",
        "Kepala Seksi Jaringan dan Persandian",
        "Penata (III/c)",
        "L",
        MemberRole.MEMBER,
        "",
    ),
]

# Members (by their place in the list) who join the night trek to Ijen.
IJEN_CLIMBERS = [4, 6, 8, 9, 10, 12, 13, 18, 20, 21, 28, 29]


def _nip(index: int, gender: str) -> str:
    """A well-formed NIP: birth date, appointment month, gender digit, sequence."""
    born = date(1968, 1, 1) + timedelta(days=397 * index)
    appointed = (born.year + 25, (index % 12) + 1)
    return (
        f"{born:%Y%m%d}{appointed[0]:04d}{appointed[1]:02d}"
        f"{'1' if gender == 'L' else '2'}{index + 1:03d}"
    )


def _venues() -> dict[str, Venue]:
    venues = {}
    for fields in VENUES:
        venue = db.session.scalar(select(Venue).where(Venue.name == fields["name"]))
        if venue is None:
            venue = Venue(**fields)
            if venue.name == IJEN:
                venue.closures.append(
                    VenueClosure(
                        kind=ClosureKind.MONTHLY,
                        week_of_month=1,
                        weekday=FRIDAY,
                        reason="TWA Kawah Ijen ditutup untuk pemeliharaan",
                    )
                )
            db.session.add(venue)
        venues[venue.name] = venue
    return venues


def _staff() -> None:
    if db.session.scalar(select(StaffUser).where(StaffUser.email == DEMO_STAFF_EMAIL)):
        return
    user = StaffUser(email=DEMO_STAFF_EMAIL, name="Bagian Protokol Banyuwangi", role=Role.ADMIN)
    user.set_password(DEMO_PASSWORD)
    db.session.add(user)


def _program(venues: dict[str, Venue], today: date) -> Program:
    first_day = next_weekday(today, WEDNESDAY)
    program = Program(
        slug=DEMO_SLUG,
        title="Studi Tiru Inovasi Pelayanan Publik dan SAKIP Kabupaten Banyuwangi",
        summary="Dua hari belajar dari Banyuwangi: Mal Pelayanan Publik, SAKIP, Smart Kampung, "
        "dan pendakian malam ke Kawah Ijen.",
        description="Program kunjungan kerja untuk pemerintah daerah yang ingin mempelajari "
        "inovasi pelayanan publik dan akuntabilitas kinerja Kabupaten Banyuwangi.\n"
        "Rombongan diterima oleh Bupati di Pendopo Sabha Swagata Blambangan.",
        first_day=first_day,
        last_day=first_day + timedelta(days=1),
        timezone=TIMEZONE,
        status=ProgramStatus.PUBLISHED,
        listed=True,
        registration_opens_at=to_utc(today - timedelta(days=30), time(0, 0), TIMEZONE),
        registration_closes_at=to_utc(first_day - timedelta(days=1), time(23, 59), TIMEZONE),
        max_delegations=6,
        max_participants=150,
        requires_approval=True,
        waitlist=True,
        host_official_name="Dr. Ir. H. Mujiono, M.Si.",
        host_official_title="Sekretaris Daerah Kabupaten Banyuwangi",
        host_official_nip="196511061993031009",
        protocol_contact_name="Bagian Protokol Setda Banyuwangi (Mas Andi)",
        protocol_contact_phone="+6281234500888",
    )
    for day, start, end, kind, title, venue, presenter, dress, requirements, extra in AGENDA:
        on = first_day + timedelta(days=day)
        program.items.append(
            AgendaItem(
                title=title,
                kind=kind,
                starts_at=to_utc(on, start, TIMEZONE),
                ends_at=to_utc(on, end, TIMEZONE),
                venue=venues[venue],
                presenter=presenter,
                dress_code=dress,
                requirements=requirements,
                **extra,
            )
        )
    db.session.add(program)
    return program


def _seruyan(program: Program) -> None:
    delegation = Delegation(
        program=program,
        status=DelegationStatus.APPROVED,
        status_reason="Surat permohonan lengkap.",
        institution="Pemerintah Kabupaten Seruyan",
        province="Kalimantan Tengah",
        # Chosen from the region list; Lombok Timur's two stay as typed, for match-regions.
        region_code="62.07",
        leader_name="H. Yulhaidir, S.Pd., M.Si.",
        leader_title="Bupati Seruyan",
        contact_name="Syahrul Ramadhan, S.H.",
        contact_phone="+6281349876543",
        contact_email="protokol@seruyankab.go.id",
        request_letter_number="005/123/Org/2026",
        request_letter_date=program.first_day - timedelta(days=21),
        arrival_notes="Tiba di Bandara Banyuwangi Selasa sore, menginap di Hotel Santika.",
        departure_notes="Kembali Kamis malam melalui Bandara Juanda.",
        arrives_on=program.first_day - timedelta(days=1),
        departs_on=program.last_day,
    )
    trek = next(item for item in program.items if item.optional)
    for index, (name, position, rank, gender, role, dietary) in enumerate(SERUYAN_MEMBERS):
        member = Member(
            full_name=name,
            position=position,
            rank=rank,
            gender=gender,
            role=role,
            dietary=dietary,
            nip=None if role == MemberRole.LEADER else _nip(index, gender),
            phone=f"+62813{52000000 + index * 7919:08d}",
            sort_order=index,
        )
        if index in IJEN_CLIMBERS:
            member.optional_items.append(trek)
        delegation.members.append(member)
    db.session.add(delegation)


SECOND_SLUG = "studi-banding-smart-kampung"


def _second_program(venues: dict[str, Venue], first_day: date) -> None:
    """A one-day visit on the same Wednesday, so staff see two programs side by side
    (and the Regent expected in two places at once)."""
    program = Program(
        slug=SECOND_SLUG,
        title="Studi Banding Smart Kampung",
        summary="Satu hari mempelajari program Smart Kampung dan pelayanan desa digital.",
        first_day=first_day,
        last_day=first_day,
        timezone=TIMEZONE,
        status=ProgramStatus.PUBLISHED,
        listed=True,
        max_delegations=3,
        max_participants=60,
        members_per_delegation=20,
    )
    for start, end, kind, title, venue, presenter in [
        (
            time(9, 0),
            time(10, 0),
            ItemKind.WELCOME,
            "Audiensi dengan Bupati Banyuwangi",
            "Aula Minak Jinggo",
            "Bupati Banyuwangi",
        ),
        (
            time(10, 30),
            time(12, 0),
            ItemKind.BRIEFING,
            "Paparan Smart Kampung",
            "Aula Minak Jinggo",
            "Kepala Dinas Kominfo Kabupaten Banyuwangi",
        ),
        (
            time(13, 0),
            time(14, 30),
            ItemKind.TOUR,
            "Kunjungan Mal Pelayanan Publik",
            "Mal Pelayanan Publik Banyuwangi",
            "Kepala DPMPTSP Kabupaten Banyuwangi",
        ),
    ]:
        program.items.append(
            AgendaItem(
                title=title,
                kind=kind,
                presenter=presenter,
                venue=venues[venue],
                starts_at=to_utc(first_day, start, TIMEZONE),
                ends_at=to_utc(first_day, end, TIMEZONE),
                dress_code="PDH",
            )
        )
    delegation = Delegation(
        program=program,
        status=DelegationStatus.PENDING,
        institution="DPRD Kabupaten Lombok Timur",
        province="Nusa Tenggara Barat",
        leader_name="H. Murnan, S.Pd.",
        leader_title="Ketua Komisi I DPRD",
        contact_name="Baiq Nurul Aini",
        contact_phone="+6281907654321",
        contact_email="setwan@lomboktimurkab.go.id",
        request_letter_number="170/45/DPRD/2026",
    )
    for index, (name, position) in enumerate(
        [
            ("H. Murnan, S.Pd.", "Ketua Komisi I DPRD"),
            ("Lalu Hasbulwadi, S.H.", "Anggota Komisi I DPRD"),
            ("Hj. Masniati, S.E.", "Anggota Komisi I DPRD"),
            ("Baiq Nurul Aini", "Kepala Subbagian Humas dan Protokol"),
        ]
    ):
        delegation.members.append(
            Member(
                full_name=name,
                position=position,
                sort_order=index,
                role=MemberRole.LEADER if index == 0 else MemberRole.MEMBER,
            )
        )
    db.session.add(program)
    db.session.add(delegation)


# What the host offers to visit requests: its letterhead and rules, topics, templates, holidays.
HOST = dict(
    name="PEMERINTAH KABUPATEN BANYUWANGI",
    office="SEKRETARIAT DAERAH",
    address="Jl. Ahmad Yani No. 100, Banyuwangi 68416",
    place="Banyuwangi",
    lead_working_days=10,
    max_size=60,
    daily_delegations=2,
    signing_official_name="Dr. Ir. H. Mujiono, M.Si.",
    signing_official_title="Sekretaris Daerah Kabupaten Banyuwangi",
    signing_official_nip="196511061993031009",
    contact_name="Bagian Protokol dan Komunikasi Pimpinan Setda Kabupaten Banyuwangi",
    contact_phone="+62333425001",
)

# (key, fields, venue names)
TOPICS = [
    (
        "mpp",
        dict(
            title_id="Mal Pelayanan Publik (MPP)",
            title_en="Public Service Mall (MPP)",
            summary_id="Ratusan layanan perizinan, kependudukan dan perbankan di satu gedung: "
            "peninjauan loket, antrean daring dan layanan keliling.",
            summary_en="Hundreds of licensing, civil registry and banking services under one "
            "roof: a tour of the counters, online queueing and mobile services.",
            unit="DPMPTSP Kabupaten Banyuwangi",
            duration_minutes=105,
            unavailable_weekdays=[SATURDAY, SUNDAY],
            sort_order=1,
        ),
        [MPP],
    ),
    (
        "sakip",
        dict(
            title_id="Paparan SAKIP (Sistem Akuntabilitas Kinerja Instansi Pemerintah)",
            title_en="SAKIP briefing (government performance accountability system)",
            summary_id="Bagaimana Banyuwangi menyusun perjanjian kinerja, LKjIP dan "
            "evaluasi SAKIP hingga predikat A.",
            summary_en="How Banyuwangi writes its performance agreements and reports and "
            "reached an A in the national SAKIP evaluation.",
            unit="Bappeda dan Bagian Organisasi Setda Kabupaten Banyuwangi",
            duration_minutes=75,
            unavailable_weekdays=[SATURDAY, SUNDAY],
            sort_order=2,
        ),
        [AULA],
    ),
    (
        "smart_kampung",
        dict(
            title_id="Smart Kampung",
            title_en="Smart Kampung (digital village services)",
            summary_id="Layanan publik berbasis teknologi di tingkat desa: surat-menyurat "
            "daring, data desa dan pemberdayaan ekonomi.",
            summary_en="Technology-based public services in the villages: online letters, "
            "village data and economic empowerment.",
            unit="Dinas Komunikasi, Informatika dan Persandian Kabupaten Banyuwangi",
            duration_minutes=90,
            unavailable_weekdays=[SATURDAY, SUNDAY],
            sort_order=3,
        ),
        [AULA],
    ),
    (
        "ijen",
        dict(
            title_id="Pariwisata Kawah Ijen",
            title_en="Kawah Ijen tourism",
            summary_id="Pendakian malam ke api biru Kawah Ijen dan pengelolaan destinasi "
            "wisata alam bersama masyarakat.",
            summary_en="A night climb to the blue fire of Kawah Ijen, and how the regency "
            "runs a nature destination with its villages.",
            unit="Dinas Kebudayaan dan Pariwisata Kabupaten Banyuwangi",
            duration_minutes=360,
            unavailable_note="Hanya bila status Gunung Ijen normal dan cuaca aman.",
            sort_order=4,
        ),
        [IJEN],
    ),
]

# (day, start, end, kind, title, venue, topic key, presenter, dress code, requirements, optional)
ONE_DAY = [
    (
        1,
        time(8, 0),
        time(9, 0),
        ItemKind.WELCOME,
        "Penyambutan dan ramah tamah",
        PENDOPO,
        None,
        "Bupati Banyuwangi",
        "PDH (Pakaian Dinas Harian)",
        "",
        False,
    ),
    (
        1,
        time(9, 15),
        time(11, 0),
        ItemKind.TOUR,
        "Peninjauan Mal Pelayanan Publik",
        MPP,
        "mpp",
        "Kepala DPMPTSP Kabupaten Banyuwangi",
        "PDH",
        "Rombongan dibagi dua kelompok.",
        False,
    ),
    (
        1,
        time(11, 15),
        time(12, 30),
        ItemKind.BRIEFING,
        "Paparan SAKIP dan reformasi birokrasi Kabupaten Banyuwangi",
        AULA,
        "sakip",
        "Kepala Bappeda Kabupaten Banyuwangi",
        "PDH",
        "Bawa dokumen LKjIP daerah asal bila ada.",
        False,
    ),
    (
        1,
        time(12, 30),
        time(13, 30),
        ItemKind.MEAL,
        "Makan siang sego tempong",
        WARUNG,
        None,
        "",
        "",
        "Sampaikan pantangan makanan sebelum kedatangan.",
        False,
    ),
    (
        1,
        time(14, 0),
        time(15, 30),
        ItemKind.BRIEFING,
        "Paparan dan diskusi Smart Kampung",
        AULA,
        "smart_kampung",
        "Kepala Dinas Kominfo Kabupaten Banyuwangi",
        "PDH",
        "",
        False,
    ),
]
TWO_DAYS = ONE_DAY + [
    (
        2,
        time(1, 0),
        time(7, 0),
        ItemKind.FIELD_TRIP,
        "Pendakian malam ke Kawah Ijen (api biru)",
        IJEN,
        "ijen",
        "Pemandu TWA Kawah Ijen",
        "Pakaian olahraga, jaket tebal, sepatu gunung",
        "Jalan menanjak 3 km. Bawa jaket tebal; masker gas disediakan.",
        True,
    ),
    (
        2,
        time(10, 0),
        time(11, 0),
        ItemKind.CEREMONY,
        "Penutupan dan penyerahan cendera mata",
        PENDOPO,
        None,
        "Sekretaris Daerah Kabupaten Banyuwangi",
        "PDH",
        "",
        False,
    ),
]
TEMPLATES = [
    (
        "Studi tiru MPP + SAKIP, 1 hari",
        "Satu hari: penyambutan di Pendopo, Mal Pelayanan Publik, paparan SAKIP, Smart Kampung.",
        1,
        ONE_DAY,
    ),
    (
        "Studi tiru 2 hari dengan Kawah Ijen",
        "Hari pertama seperti studi tiru satu hari; hari kedua pendakian malam ke Kawah Ijen.",
        2,
        TWO_DAYS,
    ),
]

HOLIDAYS = [
    (date(2026, 8, 17), "Hari Proklamasi Kemerdekaan Republik Indonesia"),
    (date(2026, 12, 24), "Cuti bersama Hari Raya Natal"),
    (date(2026, 12, 25), "Hari Raya Natal"),
    (date(2027, 1, 1), "Tahun Baru 2027 Masehi"),
]


def _catalog(venues: dict[str, Venue]) -> None:
    """The host's profile, topics, templates and holidays; each added only if missing."""
    profile = host.profile()
    if not profile.name:
        for name, value in HOST.items():
            setattr(profile, name, value)
    topics = {}
    for key, fields, venue_names in TOPICS:
        topic = db.session.scalar(select(Topic).where(Topic.title_id == fields["title_id"]))
        if topic is None:
            topic = Topic(**fields, venues=[venues[name] for name in venue_names])
            db.session.add(topic)
        topics[key] = topic
    for title, summary, days, items in TEMPLATES:
        if db.session.scalar(select(ProgramTemplate.id).where(ProgramTemplate.title == title)):
            continue
        template = ProgramTemplate(title=title, summary=summary, days=days)
        for (
            day,
            start,
            end,
            kind,
            item_title,
            venue,
            topic,
            presenter,
            dress,
            needs,
            optional,
        ) in items:
            template.items.append(
                TemplateItem(
                    day=day,
                    starts_at=start,
                    ends_at=end,
                    kind=kind,
                    title=item_title,
                    venue=venues[venue],
                    topic=topics[topic] if topic else None,
                    presenter=presenter,
                    dress_code=dress,
                    requirements=needs,
                    optional=optional,
                )
            )
        db.session.add(template)
    entered = set(db.session.scalars(select(Holiday.day)))
    for day, name in HOLIDAYS:
        if day not in entered:
            db.session.add(Holiday(day=day, name=name))


def _checkin_points(program: Program) -> None:
    """Where protocol staff count heads: the first day, and Pos Paltuding before the trek."""
    db.session.flush()
    trek = next(item for item in program.items if item.optional and "Ijen" in item.title)
    db.session.add_all(
        [
            CheckinPoint(program=program, title="Bus di bandara", day=program.first_day),
            CheckinPoint(program=program, title="Pos Paltuding sebelum pendakian", item=trek),
        ]
    )


def _visit_request(today: date) -> None:
    """A regency's letter waiting in the inbox: two date ranges, MPP and SAKIP."""
    wanted = [
        topic
        for topic in db.session.scalars(select(Topic).order_by(Topic.sort_order))
        if "SAKIP" in topic.title_id or "MPP" in topic.title_id
    ]
    first = today + timedelta(days=42 - today.weekday())  # a Monday six weeks on
    db.session.add(
        VisitRequest(
            institution="Pemerintah Kabupaten Lombok Timur",
            province="Nusa Tenggara Barat",
            leader_name="H. Haerul Warisin",
            leader_title="Bupati Lombok Timur",
            contact_name="Lalu Ahmad Zaini",
            contact_phone="+6281917123456",
            contact_email="protokol@lomboktimurkab.go.id",
            request_letter_number="005/211/Prokopim/2026",
            request_letter_date=today - timedelta(days=3),
            size=25,
            notes="Rombongan tiba di Bandara Banyuwangi pukul 10.00 WIB.",
            topics=wanted,
            wished_dates=[
                WishedDates(preference=1, first_day=first, last_day=first),
                WishedDates(
                    preference=2,
                    first_day=first + timedelta(days=2),
                    last_day=first + timedelta(days=2),
                ),
            ],
        )
    )


def load_demo(today: date | None = None) -> bool:
    """Add what is missing of the demo; True when the program was created now."""
    today = today or datetime.now(ZoneInfo(TIMEZONE)).date()
    venues = _venues()
    _staff()
    _catalog(venues)
    if db.session.scalar(select(Program.id).where(Program.slug == DEMO_SLUG)):
        return False
    program = _program(venues, today)
    _seruyan(program)
    _second_program(venues, program.first_day)
    _visit_request(today)
    _checkin_points(program)
    db.session.flush()
    for published in db.session.scalars(select(Program).where(Program.status != "draft")):
        announcements.announce_all(published)  # what the demo's participants were told
    return True
