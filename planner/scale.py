"""Years of history on an empty database, for measuring: `flask --app planner seed-scale`.

On top of the Banyuwangi demo (its staff login, venues, catalog and next week's programs),
each year adds about 50 programs with 720 agenda items, 500 delegations of about 30 members
with their optional-item choices and request letters, check-ins, 120 visit requests and 2,500
audit events; programs ahead of today take registrations. The host has its logo. Rows go in
as bulk inserts of plain dicts (on PostgreSQL, SQLAlchemy's insertmanyvalues), with tokens
and codes made by the models' own generators.
"""

import random
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import bindparam, func, insert, select, text, update
from werkzeug.security import generate_password_hash

from planner.audit.models import AuditEvent
from planner.core import checkcodes
from planner.core.database import db, new_public_id, new_token
from planner.delegations.models import (
    SEAT_HOLDING_STATUSES,
    Checkin,
    CheckinPoint,
    Delegation,
    DelegationStatus,
    Member,
    MemberItem,
    MemberRole,
    RequestLetter,
)
from planner.demo import load_demo
from planner.programs.models import AgendaItem, ItemKind, ItemStatus, Program, ProgramStatus
from planner.programs.times import to_utc
from planner.regions.reference import region
from planner.staff.models import Role, StaffUser
from planner.venues.models import Venue
from planner.visits import host
from planner.visits.models import (
    Holiday,
    RequestStatus,
    Topic,
    VisitRequest,
    VisitRequestLetter,
    WishedDates,
    request_topics,
)

PROGRAMS_PER_YEAR = 50
REQUESTS_PER_YEAR = 120  # more than a page of the staff's request list, even in one year
PROGRAMS_AHEAD = 3
MEMBERS_PER_DELEGATION = 40
TIMEZONE = "Asia/Jakarta"
LETTER_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
LOGO_PNG = bytes.fromhex(  # one blue pixel
    "89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de0000000c4944415478"
    "9c6390f7eb0200018700f81dd3d1200000000049454e44ae426082"
)

VENUES = [
    ("Desa Adat Osing Kemiren", "Kemiren, Glagah, Banyuwangi", -8.2061, 114.3267, 120),
    ("RSUD Blambangan", "Jl. Letkol Istiqlah No. 49, Banyuwangi", -8.2125, 114.3715, 60),
    ("Pantai Boom Marina", "Kampung Mandar, Banyuwangi", -8.2036, 114.3833, None),
    ("Hotel Santika Banyuwangi", "Jl. Yos Sudarso No. 108, Banyuwangi", -8.2282, 114.3808, 400),
    ("Bandara Banyuwangi", "Blimbingsari, Banyuwangi", -8.3101, 114.3401, None),
    ("Pantai Pulau Merah", "Sumberagung, Pesanggaran, Banyuwangi", -8.5981, 114.0241, None),
    ("Gedung Juang 45", "Jl. Adi Sucipto, Banyuwangi", -8.2161, 114.3702, 200),
]
PENDOPO = "Pendopo Sabha Swagata Blambangan"
MPP = "Mal Pelayanan Publik Banyuwangi"
AULA = "Aula Minak Jinggo"
IJEN = "Pos Paltuding, Kawah Ijen"
WARUNG = "Warung Sego Tempong Mbok Wah"

# Per day of a program: (start, end, kind, title, venue, presenter, optional)
DAYS = [
    [
        (time(8), time(9), ItemKind.WELCOME, "Penyambutan dan ramah tamah", PENDOPO,
         "Bupati Banyuwangi", False),
        (time(9, 15), time(11), ItemKind.TOUR, "Peninjauan Mal Pelayanan Publik", MPP,
         "Kepala DPMPTSP Kabupaten Banyuwangi", False),
        (time(11, 15), time(12, 30), ItemKind.BRIEFING, "Paparan SAKIP dan reformasi birokrasi",
         AULA, "Kepala Bappeda Kabupaten Banyuwangi", False),
        (time(12, 30), time(13, 30), ItemKind.MEAL, "Makan siang sego tempong", WARUNG, "", False),
        (time(14), time(15, 30), ItemKind.BRIEFING, "Diskusi Smart Kampung", AULA,
         "Kepala Dinas Kominfo Kabupaten Banyuwangi", False),
        (time(16), time(17), ItemKind.TRANSFER, "Menuju hotel", "Hotel Santika Banyuwangi", "",
         False),
        (time(19), time(21), ItemKind.MEAL, "Jamuan makan malam dan kesenian Gandrung", PENDOPO,
         "Wakil Bupati Banyuwangi", False),
    ],
    [
        (time(1), time(7), ItemKind.FIELD_TRIP, "Pendakian malam ke Kawah Ijen (api biru)", IJEN,
         "Pemandu TWA Kawah Ijen", True),
        (time(9), time(10, 30), ItemKind.TOUR, "Kunjungan Desa Adat Osing",
         "Desa Adat Osing Kemiren", "Kepala Desa Kemiren", False),
        (time(10, 45), time(12), ItemKind.BRIEFING, "Paparan Banyuwangi Festival", AULA,
         "Kepala Dinas Kebudayaan dan Pariwisata", False),
        (time(12), time(13), ItemKind.MEAL, "Kuliner rujak soto dan pecel pitik", WARUNG, "",
         False),
        (time(13, 30), time(15), ItemKind.TOUR, "Peninjauan layanan RSUD", "RSUD Blambangan",
         "Direktur RSUD Blambangan", False),
        (time(15, 30), time(17), ItemKind.FREE_TIME, "Waktu bebas di Pantai Boom",
         "Pantai Boom Marina", "", False),
        (time(19), time(20, 30), ItemKind.MEAL, "Makan malam bersama", "Hotel Santika Banyuwangi",
         "", False),
    ],
    [
        (time(5), time(8), ItemKind.FIELD_TRIP, "Matahari terbit di Pulau Merah",
         "Pantai Pulau Merah", "Pokdarwis Pulau Merah", True),
        (time(9), time(10, 30), ItemKind.BRIEFING, "Diskusi inovasi pelayanan desa",
         "Gedung Juang 45", "Kepala DPMD Kabupaten Banyuwangi", False),
        (time(10, 45), time(11, 45), ItemKind.TOUR, "Peninjauan Pelayanan Kependudukan", MPP,
         "Kepala Dispendukcapil", False),
        (time(12), time(13), ItemKind.MEAL, "Makan siang", WARUNG, "", False),
        (time(13, 30), time(14, 30), ItemKind.CEREMONY, "Penutupan dan penyerahan cendera mata",
         PENDOPO, "Sekretaris Daerah Kabupaten Banyuwangi", False),
        (time(15), time(16), ItemKind.TRANSFER, "Menuju bandara", "Bandara Banyuwangi", "", False),
    ],
]  # fmt: skip
THEMES = [
    ("studi-tiru-mpp", "Studi Tiru Mal Pelayanan Publik"),
    ("studi-banding-sakip", "Studi Banding SAKIP dan Reformasi Birokrasi"),
    ("smart-kampung", "Studi Tiru Smart Kampung"),
    ("pariwisata-ijen", "Kunjungan Kerja Pariwisata Kawah Ijen"),
    ("inovasi-daerah", "Studi Tiru Inovasi Pelayanan Publik"),
    ("festival", "Studi Banding Banyuwangi Festival"),
]
# Where delegations come from: (name, province as people type it, Kemendagri code).
REGIONS = [
    ("Seruyan", "Kalimantan Tengah", "62.07"), ("Kutai Timur", "Kalimantan Timur", "64.08"),
    ("Lombok Timur", "Nusa Tenggara Barat", "52.03"), ("Sumbawa", "Nusa Tenggara Barat", "52.04"),
    ("Gowa", "Sulawesi Selatan", "73.06"), ("Bone", "Sulawesi Selatan", "73.08"),
    ("Minahasa", "Sulawesi Utara", "71.02"), ("Banggai", "Sulawesi Tengah", "72.01"),
    ("Kolaka", "Sulawesi Tenggara", "74.01"), ("Agam", "Sumatera Barat", "13.06"),
    ("Kampar", "Riau", "14.01"), ("Musi Banyuasin", "Sumatera Selatan", "16.06"),
    ("Deli Serdang", "Sumatera Utara", "12.07"), ("Aceh Besar", "Aceh", "11.06"),
    ("Bangka", "Kepulauan Bangka Belitung", "19.01"), ("Lampung Selatan", "Lampung", "18.01"),
    ("Garut", "Jawa Barat", "32.05"), ("Kuningan", "Jawa Barat", "32.08"),
    ("Banyumas", "Jawa Tengah", "33.02"), ("Kebumen", "Jawa Tengah", "33.05"),
    ("Sleman", "DI Yogyakarta", "34.04"), ("Gianyar", "Bali", "51.04"),
    ("Sikka", "Nusa Tenggara Timur", "53.07"), ("Merauke", "Papua Selatan", "93.01"),
    ("Halmahera Utara", "Maluku Utara", "82.03"), ("Maluku Tengah", "Maluku", "81.01"),
    ("Tanah Laut", "Kalimantan Selatan", "63.01"), ("Sambas", "Kalimantan Barat", "61.01"),
]  # fmt: skip
# About one delegation or request in ten is from before the region list: typed by hand, no code.
TYPED_BY_HAND = 10


def _sender(name: str, province: str, code: str, kind: str, typed: bool) -> dict[str, str]:
    """Institution, province and region code as the form saves them, or as people typed them
    before the region list ("Pemkab Seruyan", "DI Yogyakarta", no code)."""
    if typed:
        short = "Pemkab" if kind == "Pemerintah Kabupaten" else kind
        return dict(institution=f"{short} {name}", province=province, region_code="")
    chosen = region(code)
    return dict(
        institution=f"{kind} {name}", province=chosen.province.name, region_code=chosen.code
    )


FIRST_NAMES = [
    "Agus",
    "Budi",
    "Citra",
    "Dewi",
    "Eko",
    "Fajar",
    "Gita",
    "Hadi",
    "Indah",
    "Joko",
    "Kartika",
    "Lestari",
    "Made",
    "Nur",
    "Putu",
    "Rahmat",
    "Sari",
    "Taufik",
    "Umar",
    "Wahyu",
    "Yusuf",
    "Zainal",
    "Siti",
    "Ratna",
    "Andi",
    "Baiq",
    "Lalu",
    "Yohanes",
    "Maria",
    "Rudi",
]
LAST_NAMES = [
    "Hidayat",
    "Santoso",
    "Pratama",
    "Wijaya",
    "Saputra",
    "Kusuma",
    "Nugroho",
    "Rahman",
    "Siregar",
    "Nasution",
    "Lubis",
    "Sembiring",
    "Pangaribuan",
    "Harahap",
    "Tanjung",
    "Daulay",
    "Wibowo",
    "Setiawan",
    "Hartono",
    "Purnomo",
    "Suryadi",
]
# (position, rank): the first is the leader; the words match the precedence rules.
POSITIONS = [
    ("Bupati", ""),
    ("Sekretaris Daerah", "Pembina Utama Madya (IV/d)"),
    ("Asisten Pemerintahan dan Kesra", "Pembina Utama Muda (IV/c)"),
    ("Kepala Bappeda", "Pembina Utama Muda (IV/c)"),
    ("Kepala Dinas Kominfo", "Pembina Tingkat I (IV/b)"),
    ("Kepala DPMPTSP", "Pembina Tingkat I (IV/b)"),
    ("Inspektur", "Pembina Tingkat I (IV/b)"),
    ("Camat", "Pembina (IV/a)"),
    ("Kepala Bagian Organisasi", "Pembina (IV/a)"),
    ("Kepala Bidang Anggaran", "Penata Tingkat I (III/d)"),
    ("Kepala Subbagian Protokol", "Penata (III/c)"),
    ("Kepala Seksi Pelayanan", "Penata (III/c)"),
    ("Analis Kebijakan", "Penata Muda Tingkat I (III/b)"),
    ("Staf Bagian Umum", "Pengatur (II/c)"),
    ("Ajudan Bupati", "Penata Muda (III/a)"),
]
DIETARY = ["", "", "", "", "", "", "", "Vegetarian", "Tidak makan seafood", "Alergi kacang"]
PAST_STATUSES = {
    DelegationStatus.APPROVED: 75,
    DelegationStatus.CANCELLED: 9,
    DelegationStatus.REJECTED: 6,
    DelegationStatus.WAITLISTED: 5,
    DelegationStatus.PENDING: 5,
}
AHEAD_STATUSES = {
    DelegationStatus.PENDING: 45,
    DelegationStatus.APPROVED: 35,
    DelegationStatus.WAITLISTED: 10,
    DelegationStatus.CANCELLED: 5,
    DelegationStatus.REJECTED: 5,
}
REASONS = {
    DelegationStatus.APPROVED: "Surat permohonan lengkap.",
    DelegationStatus.REJECTED: "Jadwal bertepatan dengan agenda Bupati.",
    DelegationStatus.CANCELLED: "Rombongan membatalkan kunjungan.",
    DelegationStatus.WAITLISTED: "Kuota rombongan sudah penuh.",
    DelegationStatus.PENDING: "",
}
HOLIDAYS = [(1, 1, "Tahun Baru Masehi"), (5, 1, "Hari Buruh Internasional"),
            (6, 1, "Hari Lahir Pancasila"), (8, 17, "Hari Proklamasi Kemerdekaan RI"),
            (12, 25, "Hari Raya Natal")]  # fmt: skip


class NotEmpty(Exception):
    """The database already holds programs, delegations, venues or staff accounts."""


@dataclass
class Seeder:
    rng: random.Random
    today: date
    staff: list[tuple[int, str]]
    venues: dict[str, int]
    codes: set[str] = field(default_factory=set)
    nips: int = 0
    events: list[dict] = field(default_factory=list)

    def stamp(self, day: date, hour: int = 9) -> datetime:
        return datetime.combine(day, time(hour), tzinfo=UTC) - timedelta(hours=7)

    def checkin_code(self) -> str:
        code = checkcodes.new_code()
        while code in self.codes:
            code = checkcodes.new_code()
        self.codes.add(code)
        return code

    def nip(self, gender: str) -> str:
        """A well-formed NIP, unique in the database: birth date, appointment, gender, sequence."""
        self.nips += 1
        born = date(1965, 1, 1) + timedelta(days=self.nips // 999)
        appointed = f"{born.year + 24:04d}{self.nips % 12 + 1:02d}"
        return f"{born:%Y%m%d}{appointed}{'1' if gender == 'L' else '2'}{self.nips % 999 + 1:03d}"

    def event(
        self,
        action,
        object_type,
        object_id,
        when,
        program_id,
        delegation_id=None,
        changes=None,
        staff=True,
    ):
        actor_id, label = self.rng.choice(self.staff) if staff else (None, "delegation contact")
        self.events.append(
            dict(
                occurred_at=when,
                actor_id=actor_id,
                actor_label=label,
                action=action,
                object_type=object_type,
                object_id=object_id,
                program_id=program_id,
                delegation_id=delegation_id,
                changes=changes or {},
            )
        )


def bulk(model, rows: list[dict], returning: bool = True) -> list[int]:
    """Insert the rows in one executemany; their ids in the order given."""
    if not rows:
        return []
    table = model.__table__
    if not returning:
        db.session.execute(insert(table), rows)
        return []
    statement = insert(table).returning(table.c.id, sort_by_parameter_order=True)
    return list(db.session.scalars(statement, rows))


def is_empty() -> bool:
    return not any(
        db.session.scalar(select(func.count()).select_from(model))
        for model in (Program, Delegation, Venue, StaffUser)
    )


def seed_scale(years: int, scale: float = 1.0, seed: int = 17) -> dict[str, int]:
    """Fill an empty database with `years` of history (`scale` of each year's volume)."""
    if not is_empty():
        raise NotEmpty
    today = host.today()
    load_demo(today)
    db.session.flush()
    rng = random.Random(seed)  # noqa: S311  (repeatable data; secrets come from the models)
    seeder = Seeder(rng, today, _staff(), _venues())
    _holidays(today, years)
    first = today - timedelta(days=365 * years)
    past = max(1, round(PROGRAMS_PER_YEAR * years * scale))
    span = (today - timedelta(days=10) - first).days
    starts = []
    for n in range(past):
        day = first + timedelta(days=int((n + seeder.rng.random()) * span / past))
        starts.append(day - timedelta(days=day.weekday() - seeder.rng.choice((0, 1, 2))))
    starts += [today + timedelta(days=14 + 21 * n) for n in range(PROGRAMS_AHEAD + 1)]
    programs = _programs(seeder, starts, past)
    items = _items(seeder, programs)
    _delegations(seeder, programs, items)
    _visit_requests(seeder, programs, round(REQUESTS_PER_YEAR * years * scale) + 3)
    _logo()
    bulk(AuditEvent, seeder.events, returning=False)
    db.session.commit()
    # A database that grew over years has its planner statistics; one loaded in a minute has
    # none until autovacuum comes by, and its plans would be those of an empty database.
    if db.engine.dialect.name == "postgresql":
        with db.engine.begin() as connection:  # committed: rolled back, the statistics go
            connection.execute(text("ANALYZE"))
    return {
        model.__tablename__: db.session.scalar(select(func.count()).select_from(model))
        for model in (
            Program,
            AgendaItem,
            Delegation,
            Member,
            MemberItem,
            Checkin,
            VisitRequest,
            AuditEvent,
        )
    }


def _staff() -> list[tuple[int, str]]:
    password_hash = generate_password_hash(new_token())
    bulk(
        StaffUser,
        [
            dict(
                public_id=new_public_id(),
                email=email,
                name=name,
                password_hash=password_hash,
                role=Role.STAFF.value,
                session_token=new_token(),
                calendar_token=new_token(),
            )
            for email, name in [
                ("desk1@banyuwangikab.go.id", "Meja Protokol 1"),
                ("desk2@banyuwangikab.go.id", "Meja Protokol 2"),
                ("humas@banyuwangikab.go.id", "Humas Setda"),
            ]
        ],
    )
    return list(db.session.execute(select(StaffUser.id, StaffUser.email)).tuples().all())


def _venues() -> dict[str, int]:
    bulk(
        Venue,
        [
            dict(
                public_id=new_public_id(),
                name=name,
                address=address,
                latitude=lat,
                longitude=lon,
                seats=seats,
                notes="",
            )
            for name, address, lat, lon, seats in VENUES
        ],
    )
    return dict(db.session.execute(select(Venue.name, Venue.id)).tuples().all())


def _holidays(today: date, years: int) -> None:
    entered = set(db.session.scalars(select(Holiday.day)))
    rows = [
        dict(day=day, name=name)
        for year in range(today.year - years, today.year + 2)
        for month, number, name in HOLIDAYS
        if (day := date(year, month, number)) not in entered
    ]
    bulk(Holiday, rows, returning=False)


def _programs(seeder: Seeder, starts: list[date], past: int) -> list[dict]:
    rng, rows = seeder.rng, []
    for n, first_day in enumerate(starts):
        days = 1 if n % 5 == 0 else rng.choice((2, 2, 3, 3))
        last_day = first_day + timedelta(days=days - 1)
        theme, title = THEMES[n % len(THEMES)]
        if n >= past:
            status = ProgramStatus.DRAFT if n == len(starts) - 1 else ProgramStatus.PUBLISHED
        elif (seeder.today - last_day).days > 120:
            status = rng.choice(("archived", "closed", "published", "published"))
        else:
            status = rng.choice(("closed", "published"))
        opens = first_day - timedelta(days=60)
        rows.append(
            dict(
                public_id=new_public_id(),
                slug=f"{theme}-{first_day:%Y-%m-%d}-{n}",
                title=f"{title} {first_day:%m/%Y}",
                summary=f"{days} hari belajar dari Banyuwangi.",
                description="Program kunjungan kerja untuk pemerintah daerah.",
                first_day=first_day,
                last_day=last_day,
                timezone=TIMEZONE,
                status=str(status),
                listed=n % 10 != 3,
                registration_opens_at=seeder.stamp(opens, 0),
                registration_closes_at=seeder.stamp(first_day - timedelta(days=2), 23),
                members_per_delegation=MEMBERS_PER_DELEGATION,
                max_delegations=None,
                requires_approval=True,
                waitlist=True,
                host_official_name="Dr. Ir. H. Mujiono, M.Si.",
                host_official_title="Sekretaris Daerah Kabupaten Banyuwangi",
                host_official_nip="196511061993031009",
                protocol_contact_name="Bagian Protokol Setda Banyuwangi",
                protocol_contact_phone="+6281234500888",
                calendar_uid=str(uuid.uuid4()),
                created_at=seeder.stamp(opens - timedelta(days=14)),
                updated_at=seeder.stamp(opens),
            )
        )
    for row, program_id in zip(rows, bulk(Program, rows), strict=True):
        row["id"] = program_id
        seeder.event(
            "program.created",
            "Program",
            row["public_id"],
            row["created_at"],
            program_id,
            changes={"title": [None, row["title"]]},
        )
        if row["status"] != ProgramStatus.DRAFT:
            seeder.event(
                "program.updated",
                "Program",
                row["public_id"],
                row["updated_at"],
                program_id,
                changes={"status": ["draft", "published"]},
            )
    return rows


def _items(seeder: Seeder, programs: list[dict]) -> dict[int, list[dict]]:
    """Every program's agenda; returns the optional items by program id."""
    rng, rows = seeder.rng, []
    for program in programs:
        days = (program["last_day"] - program["first_day"]).days + 1
        for offset in range(days):
            on = program["first_day"] + timedelta(days=offset)
            for start, end, kind, title, venue, presenter, optional in DAYS[offset]:
                cancelled = rng.random() < 0.03
                row = dict(
                    public_id=new_public_id(),
                    program_id=program["id"],
                    title=title,
                    kind=str(kind),
                    starts_at=to_utc(on, start, TIMEZONE),
                    ends_at=to_utc(on, end, TIMEZONE),
                    venue_id=seeder.venues[venue],
                    presenter=presenter,
                    description="",
                    requirements="",
                    dress_code="" if kind == ItemKind.MEAL else "PDH",
                    capacity=None,
                    optional=optional,
                    reminder_minutes=180 if optional else 60,
                    status=str(ItemStatus.CANCELLED if cancelled else ItemStatus.SCHEDULED),
                    revision=int(cancelled),
                    announced_change=None,
                    created_at=program["created_at"],
                    updated_at=program["updated_at"],
                )
                row["announced"] = (
                    None
                    if program["status"] == ProgramStatus.DRAFT
                    else {
                        "title": title,
                        "starts_at": row["starts_at"].isoformat(),
                        "ends_at": row["ends_at"].isoformat(),
                        "venue": venue,
                        "status": row["status"],
                    }
                )
                rows.append(row)
    optional: dict[int, list[dict]] = {}
    for row, item_id in zip(rows, bulk(AgendaItem, rows), strict=True):
        row["id"] = item_id
        if row["optional"] and row["status"] == ItemStatus.SCHEDULED:
            optional.setdefault(row["program_id"], []).append(row)
        seeder.event(
            "item.created",
            "AgendaItem",
            row["public_id"],
            row["created_at"],
            row["program_id"],
            changes={"title": [None, row["title"]]},
        )
        if row["revision"]:
            seeder.event(
                "item.cancelled",
                "AgendaItem",
                row["public_id"],
                row["updated_at"],
                row["program_id"],
                changes={"status": ["scheduled", "cancelled"]},
            )
    return optional


def _delegations(seeder: Seeder, programs: list[dict], optional: dict[int, list[dict]]) -> None:
    rng, rows = seeder.rng, []
    for n, program in enumerate(programs):
        if program["status"] == ProgramStatus.DRAFT:
            continue
        ahead = program["first_day"] > seeder.today
        count = rng.randint(2, 8) if ahead else (25 if n % 10 == 7 else rng.randint(3, 13))
        weights = AHEAD_STATUSES if ahead else PAST_STATUSES
        for status in rng.choices(list(weights), list(weights.values()), k=count):
            name, province, code = rng.choice(REGIONS)
            kind = rng.choice(("Pemerintah Kabupaten", "Pemerintah Kabupaten", "DPRD Kabupaten"))
            typed = len(rows) % TYPED_BY_HAND == TYPED_BY_HAND - 1
            created = seeder.stamp(program["first_day"] - timedelta(days=rng.randint(10, 55)))
            rows.append(
                dict(
                    public_id=new_public_id(),
                    token=new_token(),
                    program_id=program["id"],
                    status=str(status),
                    status_reason=REASONS[status],
                    **_sender(name, province, code, kind, typed),
                    leader_name=f"H. {rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                    leader_title=f"Bupati {name}" if kind.startswith("Pem") else "Ketua DPRD",
                    contact_name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                    contact_phone=f"+62812{rng.randrange(10**7, 10**8)}",
                    contact_email=f"protokol@{name.lower().replace(' ', '')}kab.go.id",
                    language="en" if rng.random() < 0.05 else "id",
                    request_letter_number=f"005/{rng.randint(1, 999)}/Prokopim/{created.year}",
                    request_letter_date=created.date() - timedelta(days=3),
                    arrival_notes="Tiba sehari sebelumnya melalui Bandara Banyuwangi.",
                    departure_notes="",
                    arrives_on=program["first_day"] - timedelta(days=1),
                    departs_on=program["last_day"],
                    created_at=created,
                    updated_at=created + timedelta(days=2),
                )
            )
    sizes = [rng.randint(22, MEMBERS_PER_DELEGATION) for _ in rows]
    for row, delegation_id, size in zip(rows, bulk(Delegation, rows), sizes, strict=True):
        row["id"] = delegation_id
        _delegation_events(seeder, row, size)
    _letters(RequestLetter, "delegation_id", [row["id"] for row in rows], rows)
    _full_programs(rows)
    points = _checkin_points(seeder, programs)
    members, choices, checkins = [], [], []
    for row, size in zip(rows, sizes, strict=True):
        for index in range(size):
            position, rank = POSITIONS[0 if index == 0 else 1 + (index - 1) * 14 // size]
            gender = rng.choice("LLP")
            members.append(
                dict(
                    public_id=new_public_id(),
                    token=new_token(),
                    checkin_code=seeder.checkin_code(),
                    delegation_id=row["id"],
                    full_name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}, S.E.",
                    nip=None if index == 0 else seeder.nip(gender),
                    position=position,
                    rank=rank,
                    gender=gender,
                    phone=f"+62813{rng.randrange(10**7, 10**8)}",
                    email=f"peserta{rng.randrange(10**6)}@pemda.go.id" if index % 3 else None,
                    dietary=rng.choice(DIETARY),
                    role=str(
                        MemberRole.LEADER
                        if index == 0
                        else MemberRole.STAFF
                        if index == size - 1
                        else MemberRole.MEMBER
                    ),
                    precedence=None,
                    health_certificate=rng.random() < 0.4,
                    sort_order=index,
                    created_at=row["created_at"],
                    updated_at=row["created_at"],
                )
            )
    member_ids = bulk(Member, members)
    by_id = {row["id"]: row for row in rows}
    for member, member_id in zip(members, member_ids, strict=True):
        delegation = by_id[member["delegation_id"]]
        if delegation["status"] not in SEAT_HOLDING_STATUSES:
            continue
        for item in optional.get(delegation["program_id"], []):
            if rng.random() < 0.4:
                choices.append(
                    dict(
                        member_id=member_id, item_id=item["id"], created_at=delegation["created_at"]
                    )
                )
        point = points.get(delegation["program_id"])
        if point and delegation["status"] == DelegationStatus.APPROVED and rng.random() < 0.9:
            scanned = point[1] + timedelta(minutes=rng.randint(0, 90))
            checkins.append(
                dict(
                    client_id=uuid.uuid4().hex,
                    point_id=point[0],
                    member_id=member_id,
                    scanned_at=scanned,
                    received_at=scanned,
                    staff_id=seeder.staff[0][0],
                    staff_label=seeder.staff[0][1],
                    device="scanner",
                    source="scan",
                )
            )
    bulk(MemberItem, choices, returning=False)
    bulk(Checkin, checkins, returning=False)


def _full_programs(delegations: list[dict]) -> None:
    """A program whose delegations waited on the waitlist was full: its seats are its limit."""
    holding, waiting = Counter(), set()
    for row in delegations:
        if row["status"] in SEAT_HOLDING_STATUSES:
            holding[row["program_id"]] += 1
        elif row["status"] == DelegationStatus.WAITLISTED:
            waiting.add(row["program_id"])
    table = Program.__table__
    db.session.execute(
        update(table)
        .where(table.c.id == bindparam("program"))
        .values(max_delegations=bindparam("seats")),
        [{"program": program, "seats": max(1, holding[program])} for program in waiting],
    )


def _delegation_events(seeder: Seeder, row: dict, size: int) -> None:
    rng = seeder.rng
    ids = ("Delegation", row["public_id"])
    seeder.event(
        "delegation.registered",
        *ids,
        row["created_at"],
        row["program_id"],
        row["id"],
        {"status": [None, "pending"], "members": [None, size]},
        staff=False,
    )
    if rng.random() < 0.5:
        seeder.event(
            "delegation.members_changed",
            *ids,
            row["created_at"] + timedelta(hours=5),
            row["program_id"],
            row["id"],
            {"added": [None, 2]},
            staff=False,
        )
    if rng.random() < 0.4:
        seeder.event(
            "delegation.updated",
            *ids,
            row["created_at"] + timedelta(days=1),
            row["program_id"],
            row["id"],
            {"arrival_notes": ["", row["arrival_notes"]]},
        )
    if row["status"] != DelegationStatus.PENDING:
        seeder.event(
            "delegation.status_changed",
            *ids,
            row["updated_at"],
            row["program_id"],
            row["id"],
            {"status": ["pending", row["status"]], "reason": [None, row["status_reason"]]},
        )


def _checkin_points(seeder: Seeder, programs: list[dict]) -> dict[int, tuple[int, datetime]]:
    """A point on the first day of every program that has begun: program id -> (id, opened)."""
    rows = [
        dict(
            public_id=new_public_id(),
            program_id=p["id"],
            item_id=None,
            day=p["first_day"],
            title="Bus di bandara",
            closed_at=seeder.stamp(p["last_day"], 18),
            created_at=seeder.stamp(p["first_day"], 7),
            updated_at=seeder.stamp(p["first_day"], 7),
        )
        for p in programs
        if p["first_day"] <= seeder.today and p["status"] != ProgramStatus.DRAFT
    ]
    points = {}
    for row, point_id in zip(rows, bulk(CheckinPoint, rows), strict=True):
        points[row["program_id"]] = (point_id, row["created_at"])
        seeder.event(
            "checkin.point_opened",
            "CheckinPoint",
            row["public_id"],
            row["created_at"],
            row["program_id"],
            changes={"title": [None, row["title"]]},
        )
    return points


def _letters(model, key: str, ids: list[int], rows: list[dict]) -> None:
    """Each one's scanned request letter (the same small page: its size is not what is measured)."""
    letters = [
        dict(
            {key: row_id},
            filename=f"surat-{n + 1}.pdf",
            size=len(LETTER_PDF),
            content=LETTER_PDF,
            uploaded_at=row["created_at"],
        )
        for n, (row_id, row) in enumerate(zip(ids, rows, strict=True))
    ]
    bulk(model, letters, returning=False)


def _logo() -> None:
    profile = host.profile()
    profile.logo, profile.logo_type = LOGO_PNG, "image/png"


def _visit_requests(seeder: Seeder, programs: list[dict], count: int) -> None:
    """Requests answered over the years (most became programs), and a few still open."""
    rng = seeder.rng
    topics = list(db.session.scalars(select(Topic.id)))
    rows, wishes = [], []
    for n in range(count):
        program = rng.choice(programs)
        is_open = n >= count - 3
        first_day = (
            seeder.today + timedelta(days=30 + 7 * n % 60) if is_open else program["first_day"]
        )
        status = (
            RequestStatus.NEW
            if is_open
            else rng.choice(
                (
                    RequestStatus.ACCEPTED,
                    RequestStatus.ACCEPTED,
                    RequestStatus.DECLINED,
                    RequestStatus.WITHDRAWN,
                )
            )
        )
        name, province, code = rng.choice(REGIONS)
        typed = n % TYPED_BY_HAND == TYPED_BY_HAND - 1
        created = seeder.stamp(min(first_day, seeder.today) - timedelta(days=rng.randint(20, 60)))
        rows.append(
            dict(
                public_id=new_public_id(),
                token=new_token(),
                status=str(status),
                **_sender(name, province, code, "Pemerintah Kabupaten", typed),
                leader_name=f"H. {rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                leader_title=f"Bupati {name}",
                contact_name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                contact_phone=f"+62812{rng.randrange(10**7, 10**8)}",
                contact_email=f"protokol@{name.lower().replace(' ', '')}kab.go.id",
                language="id",
                request_letter_number=f"005/{n + 1}/Prokopim/{created.year}",
                request_letter_date=created.date(),
                size=rng.randint(15, 40),
                notes="",
                reason="" if is_open else "Terima kasih atas permohonannya.",
                decided_at=None if is_open else created + timedelta(days=5),
                program_id=program["id"] if status == RequestStatus.ACCEPTED else None,
                created_at=created,
                updated_at=created,
            )
        )
        wishes.append((first_day, program["last_day"] - program["first_day"]))
    ids = bulk(VisitRequest, rows)
    _letters(VisitRequestLetter, "request_id", ids, rows)
    dates, chosen = [], []
    for request_id, (first_day, length) in zip(ids, wishes, strict=True):
        for preference in range(1, rng.randint(1, 3) + 1):
            start = first_day + timedelta(days=7 * (preference - 1))
            dates.append(
                dict(
                    request_id=request_id,
                    preference=preference,
                    first_day=start,
                    last_day=start + length,
                )
            )
        chosen += [dict(request_id=request_id, topic_id=t) for t in rng.sample(topics, 2)]
    bulk(WishedDates, dates, returning=False)
    db.session.execute(insert(request_topics), chosen)
