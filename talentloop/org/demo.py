"""The demo company 云帆科技 (Yunfan Technology): departments, jobs with competency models, employees and
logins, generated deterministically from talentloop/org/data/demo_company.json and a seed.

Employees are written with bulk_create in large batches, not through employee_create: the audit log records
changes people make, and generated data is nobody's change. Jobs do go through job_create, so the demo's
competency models obey the same rules as the ones HR builds."""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from django.apps import apps as django_apps
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from talentloop.core.models import Role, User

from .identity import make_id_number
from .library import demo_company
from .models import Competency, Department, Employee, EmployeeEvent, Job, JobLevel
from .services import job_create

DEMO_PASSWORD = "talentloop"
DEMO_URL = "http://127.0.0.1:8000/"
EMPLOYEE_NO_PREFIX = "YF"
BATCH_SIZE = 5_000
# Above this many employees only the named demo users get a login: a login per employee is there to let a
# visitor try any role, and tens of thousands of them would only slow the seed down.
PERSONAL_LOGINS_MAX = 1_000
MAX_EMPLOYEES = 999_999  # six digits of employee number
EMAIL_DOMAIN = "yunfan.example.com"

HR_USERNAME = "hr"
RECRUITER_USERNAME = "recruiter"
MANAGER_USERNAMES = ("manager1", "manager2")
EMPLOYEE_USERNAME = "employee"
NAMED_USERNAMES = (HR_USERNAME, RECRUITER_USERNAME, *MANAGER_USERNAMES, EMPLOYEE_USERNAME)
# The departments whose heads log in as manager1 and manager2; `employee` works under manager1.
MANAGER_DEPARTMENTS = ("SALES-EAST", "RD-PLATFORM")

_BIRTH_FIRST = dt.date(1965, 1, 1)
_BIRTH_LAST = dt.date(2003, 12, 31)
_HEAD_BIRTH_LAST = dt.date(1985, 12, 31)
_HIRE_YEARS = 8
_PROBATION_DAYS = 180
# Distinct order numbers per region, birth date and gender that every version of make_id_number gives.
_ID_SEQUENCES = 50


class Writer(Protocol):
    def write(self, msg: str, /) -> Any: ...


class DemoError(Exception):
    """The demo cannot be loaded as asked; the message says what to do instead."""


@dataclass(frozen=True)
class DemoLogin:
    username: str
    password: str
    role: str
    note: str = ""


@dataclass(frozen=True)
class DemoSummary:
    created: bool  # False when the demo company was already there and nothing was written
    departments: int
    jobs: int
    employees: int
    users: int
    seconds: float
    logins: tuple[DemoLogin, ...]
    # Every other employee can log in with their lower-cased employee number; this is one such login.
    personal_login_example: str = ""
    url: str = DEMO_URL


@dataclass(slots=True)
class _Person:
    dept: int  # index into the departments of demo_company.json
    head: bool
    name: str
    english_name: str
    gender: str
    birth: dt.date
    id_number: str
    phone: str
    hire: dt.date
    status: str
    level: str
    job: int | None  # index into the jobs of demo_company.json
    number: str = ""


def demo_seed(*, employees: int, seed: int, reset: bool, stdout: Writer) -> DemoSummary:
    """Load the demo company unless it is already there; with `reset`, delete it first and load it again."""
    data = demo_company()
    minimum = 2 * len(data["departments"])  # every department needs a head and at least one report
    if not minimum <= employees <= MAX_EMPLOYEES:
        raise DemoError(f"--employees must be between {minimum} and {MAX_EMPLOYEES:,}.")
    started = time.perf_counter()
    # One transaction for the delete and the load: a reset that fails half-way leaves the old demo in place.
    with transaction.atomic():
        if reset:
            _delete_demo(stdout)
        elif Department.objects.filter(code__in=_department_codes()).exists():
            stdout.write(
                f"The demo company {data['company']['name']} ({data['company']['name_en']}) is already in "
                "this database; nothing was changed. Run with --reset to delete and reload it.\n"
            )
            return _existing_summary(time.perf_counter() - started)
        taken = sorted(User.objects.filter(username__in=NAMED_USERNAMES).values_list("username", flat=True))
        if taken:
            raise DemoError(
                f"Users {', '.join(taken)} already exist but the demo company does not. Run with --reset to "
                "replace them, or use another database."
            )
        summary = _load(data, employees=employees, seed=seed, stdout=stdout, started=started)
    _analyze()
    return summary


def demo_logins_table(summary: DemoSummary) -> str:
    """The closing message of `talentloop seed-demo`: where to go and who to log in as."""
    rows = [("username", "password", "role", "")] + [
        (login.username, login.password, login.role, login.note) for login in summary.logins
    ]
    widths = [max(len(row[col]) for row in rows) for col in range(3)]
    lines = [f"Open {summary.url} and log in as one of:", ""]
    for index, row in enumerate(rows):
        cells = [row[col].ljust(widths[col]) for col in range(3)]
        lines.append(("  " + "  ".join(cells) + ("  " + row[3] if row[3] else "")).rstrip())
        if index == 0:
            lines.append("  " + "  ".join("-" * w for w in widths))
    if summary.personal_login_example:
        lines += ["", "Every other employee can log in with their employee number in lower case "
                      f"(e.g. {summary.personal_login_example}) and the password {DEMO_PASSWORD}."]
    return "\n".join(lines) + "\n"


def _department_codes() -> list[str]:
    return [d["code"] for d in demo_company()["departments"]]


def _demo_department_ids() -> list[int]:
    """The demo departments and anything HR has since put below them."""
    parents = dict(Department.objects.values_list("id", "parent_id"))
    found = set(Department.objects.filter(code__in=_department_codes()).values_list("id", flat=True))
    frontier = set(found)
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return sorted(found)


def _named_logins() -> tuple[DemoLogin, ...]:
    manager_notes = [f"head of {code}" for code in MANAGER_DEPARTMENTS]
    return (
        DemoLogin(HR_USERNAME, DEMO_PASSWORD, Role.HR_ADMIN, "superuser, Django admin at /admin/"),
        DemoLogin(RECRUITER_USERNAME, DEMO_PASSWORD, Role.RECRUITER),
        DemoLogin(MANAGER_USERNAMES[0], DEMO_PASSWORD, Role.HIRING_MANAGER, manager_notes[0]),
        DemoLogin(MANAGER_USERNAMES[1], DEMO_PASSWORD, Role.HIRING_MANAGER, manager_notes[1]),
        DemoLogin(EMPLOYEE_USERNAME, DEMO_PASSWORD, Role.EMPLOYEE, f"reports to {MANAGER_USERNAMES[0]}"),
    )


def _existing_summary(seconds: float) -> DemoSummary:
    dept_ids = _demo_department_ids()
    employees = Employee.objects.filter(department_id__in=dept_ids)
    personal = employees.filter(user__username__startswith=EMPLOYEE_NO_PREFIX.lower(), user__is_active=True)
    example = personal.order_by("employee_no").values_list("user__username", flat=True).first()
    return DemoSummary(
        created=False,
        departments=len(dept_ids),
        jobs=Job.objects.filter(department_id__in=dept_ids).count(),
        employees=employees.count(),
        users=User.objects.filter(username__in=NAMED_USERNAMES).count() + employees.filter(
            user__username__startswith=EMPLOYEE_NO_PREFIX.lower()).count(),
        seconds=seconds,
        logins=_named_logins(),
        personal_login_example=example or "",
    )


def _delete_demo(stdout: Writer) -> None:
    """Delete the demo company: its departments, everyone and every job in them, and the demo logins."""
    dept_ids = _demo_department_ids()
    employees = Employee.objects.filter(department_id__in=dept_ids)
    user_ids = set(employees.exclude(user=None).values_list("user_id", flat=True))
    user_ids |= set(User.objects.filter(username__in=NAMED_USERNAMES).values_list("id", flat=True))
    count = employees.count()
    _delete_performance_records(employees, dept_ids)
    # Events and manager links go in one statement each, so the delete below has little left to cascade.
    EmployeeEvent.objects.filter(employee__department_id__in=dept_ids).delete()
    employees.update(manager=None)
    Employee.objects.filter(manager__department_id__in=dept_ids).update(manager=None)
    employees.delete()
    demo_jobs = Job.objects.filter(department_id__in=dept_ids)
    _delete_dependent_records(demo_jobs)
    demo_jobs.delete()
    Department.objects.filter(id__in=dept_ids).update(parent=None)
    Department.objects.filter(id__in=dept_ids).delete()
    User.objects.filter(id__in=user_ids).delete()
    if dept_ids or user_ids:
        stdout.write(f"Deleted the demo company: {len(dept_ids)} departments, {count:,} employees, "
                     f"{len(user_ids):,} logins.\n")


def _delete_dependent_records(jobs: Any) -> None:
    """Records other capabilities keep about the demo jobs (applications protect their job from deletion).
    Looked up through the app registry: the org app does not import the apps built on top of it."""
    if django_apps.is_installed("talentloop.insights"):
        django_apps.get_model("insights", "HiringCost").objects.filter(job__in=jobs).delete()
    if django_apps.is_installed("talentloop.recruiting"):
        django_apps.get_model("recruiting", "Application").objects.filter(job__in=jobs).delete()


def _delete_performance_records(employees: Any, dept_ids: list[int]) -> None:
    """Performance records about the demo employees and departments, which protect them from deletion: cycles
    whose participants are all demo employees go whole; from any other cycle only the demo people's reviews,
    KPI targets, 360° rounds and answers, and the objectives they or the demo departments own (objectives
    aligned with those are unaligned first)."""
    if django_apps.is_installed("talentloop.learning"):  # plans protect their cycle, enrolments their employee
        for name in ("Enrollment", "DevelopmentPlan"):
            django_apps.get_model("learning", name).objects.filter(employee__in=employees).delete()
    if not django_apps.is_installed("talentloop.performance"):
        return
    model = django_apps.get_model
    cycle_model, objective_model = model("performance", "PerformanceCycle"), model("performance", "Objective")
    participation = cycle_model.employees.through
    touched = set(participation.objects.filter(employee__in=employees).values_list("performancecycle_id", flat=True))
    mixed = set(participation.objects.filter(performancecycle_id__in=touched).exclude(employee__in=employees)
                .values_list("performancecycle_id", flat=True))
    whole = sorted(touched - mixed)
    about = {"employee__in": employees}
    for name, lookup in (("Review", about), ("KpiTarget", about), ("FeedbackRequest", {"subject__in": employees}),
                         ("FeedbackInvitation", {"rater__in": employees})):
        manager = model("performance", name).objects
        manager.filter(**lookup).delete()
        if name != "FeedbackInvitation":
            manager.filter(cycle_id__in=whole).delete()
    objectives = objective_model.objects.filter(
        Q(cycle_id__in=whole) | Q(owner_employee__in=employees) | Q(department_id__in=dept_ids))
    objective_model.objects.filter(parent__in=objectives).update(parent=None)
    objectives.delete()
    cycle_model.objects.filter(pk__in=whole).delete()


def _allocate(total: int, shares: Sequence[float], minimum: int) -> list[int]:
    """Split `total` by `shares` (largest remainder), each part at least `minimum`."""
    rest = total - minimum * len(shares)
    weight = sum(shares)
    exact = [rest * share / weight for share in shares]
    counts = [int(x) for x in exact]
    by_remainder = sorted(range(len(shares)), key=lambda i: (counts[i] - exact[i], i))
    for i in by_remainder[: rest - sum(counts)]:
        counts[i] += 1
    return [minimum + c for c in counts]


class _People:
    """Draws every employee from one random.Random in a fixed order: a seed always gives the same people."""

    def __init__(self, data: dict[str, Any], seed: int, today: dt.date, taken_ids: set[str]) -> None:
        self.data = data
        self.rng = random.Random(seed)
        self.today = today
        self.used_ids = taken_ids
        self.id_counters: dict[tuple[str, dt.date, str], int] = {}
        self.jobs_by_dept: dict[str, list[int]] = {}
        for index, job in enumerate(data["jobs"]):
            self.jobs_by_dept.setdefault(job["department"], []).append(index)
        self.regions: list[str] = list(data["region_codes"])

    def generate(self, employees: int) -> list[_Person]:
        departments = self.data["departments"]
        counts = _allocate(employees, [d["share"] for d in departments], minimum=2)
        people = [
            self._person(dept, head=(i == 0))
            for dept, count in enumerate(counts)
            for i in range(count)
        ]
        # Numbers follow the hire date, as they do in a company that numbers people when they join.
        people.sort(key=lambda p: p.hire)
        for number, person in enumerate(people, start=1):
            person.number = f"{EMPLOYEE_NO_PREFIX}{number:06d}"
        return people

    def _date(self, first: dt.date, last: dt.date) -> dt.date:
        # random() draws exactly one number whatever the span, so the sequence of names and numbers does
        # not depend on the day the seed runs (randrange's draws would).
        span = (last - first).days
        return first + dt.timedelta(days=int(self.rng.random() * (span + 1)))

    def _person(self, dept: int, *, head: bool) -> _Person:
        rng, data = self.rng, self.data
        gender = Employee.Gender.MALE if rng.random() < 0.52 else Employee.Gender.FEMALE
        male = gender == Employee.Gender.MALE
        name = rng.choice(data["surnames"]) + rng.choice(data["given_names_m" if male else "given_names_f"])
        english = ""
        if rng.random() < 1 / 3:
            first = rng.choice(data["english_first_names_m" if male else "english_first_names_f"])
            english = f"{first} {rng.choice(data['english_last_names'])}"
        birth = self._date(_BIRTH_FIRST, _HEAD_BIRTH_LAST if head else _BIRTH_LAST)
        id_number = self._id_number(birth, gender)
        phone = f"1{rng.choice('3456789')}{int(rng.random() * 1_000_000_000):09d}"
        adult = dt.date(birth.year + 18, birth.month, min(birth.day, 28))
        # Heads have been with the company a while; everyone was hired as an adult within the last 8 years.
        recent_limit = self.today - dt.timedelta(days=3 * 365) if head else self.today
        earliest = max(self.today - dt.timedelta(days=_HIRE_YEARS * 365), adult)
        hire = self._date(min(earliest, recent_limit), recent_limit)
        draw = rng.random()
        if head:
            status = Employee.Status.ACTIVE
        elif draw < 0.05:
            status = Employee.Status.TERMINATED
        elif draw < 0.08:
            status = Employee.Status.ON_LEAVE
        elif (self.today - hire).days < _PROBATION_DAYS:
            status = Employee.Status.PROBATION
        else:
            status = Employee.Status.ACTIVE
        draw = rng.random()
        level = "senior" if head else "junior" if draw < 0.5 else "mid" if draw < 0.85 else "senior"
        job = None
        dept_jobs = self.jobs_by_dept.get(data["departments"][dept]["code"], [])
        if rng.random() < 0.35 and dept_jobs and not head:
            job = rng.choice(dept_jobs)
            level = data["jobs"][job]["level"]
        return _Person(
            dept=dept, head=head, name=name, english_name=english, gender=gender, birth=birth,
            id_number=id_number, phone=phone, hire=hire, status=status, level=level, job=job,
        )

    def _id_number(self, birth: dt.date, gender: str) -> str:
        regions = self.regions
        start = self.rng.randrange(len(regions))
        for offset in range(len(regions)):
            region = regions[(start + offset) % len(regions)]
            key = (region, birth, gender)
            while (sequence := self.id_counters.get(key, 0)) < _ID_SEQUENCES:
                self.id_counters[key] = sequence + 1
                number = make_id_number(region, birth, sequence, gender)
                if number not in self.used_ids:
                    self.used_ids.add(number)
                    return number
        raise DemoError(f"Ran out of identity numbers for people born on {birth}.")


def _load(data: dict[str, Any], *, employees: int, seed: int, stdout: Writer, started: float) -> DemoSummary:
    today = timezone.localdate()
    taken_ids = set(Employee.objects.exclude(id_number="").values_list("id_number", flat=True))
    people = _People(data, seed, today, taken_ids).generate(employees)
    password = make_password(DEMO_PASSWORD)  # hashed once: hashing is deliberately slow
    departments = _create_departments(data)
    levels = {level.code: level for level in JobLevel.objects.all()}
    users = _create_named_users(password)
    jobs = _create_jobs(data, departments, levels, actor=users[HR_USERNAME])
    stdout.write(f"Created {len(departments)} departments and {len(jobs)} jobs; generating {employees:,} "
                 f"employees (seed {seed}).\n")

    heads = {p.dept: p for p in people if p.head}
    sales_head, rd_head = (heads[_dept_index(data, code)] for code in MANAGER_DEPARTMENTS)
    ordinary = next(p for p in people if p.dept == sales_head.dept and not p.head)
    ordinary.status = Employee.Status.ACTIVE
    named = [
        (sales_head, MANAGER_USERNAMES[0]), (rd_head, MANAGER_USERNAMES[1]), (ordinary, EMPLOYEE_USERNAME)
    ]
    linked = {id(person): users[username] for person, username in named}
    for person, username in named:
        users[username].display_name = person.name
        users[username].email = _email(person)
    User.objects.bulk_update([users[username] for _, username in named], ["display_name", "email"])

    user_ids: dict[int, int] = {id(p): u.pk for p in people if (u := linked.get(id(p))) is not None}
    example = ""
    if employees <= PERSONAL_LOGINS_MAX:
        user_ids |= _create_personal_users(people, linked, password)
        example = next(p.number.lower() for p in people
                       if id(p) not in linked and p.status != Employee.Status.TERMINATED)

    def build(person: _Person, manager_id: int | None) -> Employee:
        job = jobs[person.job] if person.job is not None else None
        return Employee(
            employee_no=person.number, name=person.name, english_name=person.english_name,
            gender=person.gender, birth_date=person.birth, id_number=person.id_number, phone=person.phone,
            email=_email(person), department=departments[person.dept], level=levels.get(person.level),
            job=job, manager_id=manager_id, hire_date=person.hire, status=person.status,
            user_id=user_ids.get(id(person)),
        )

    # Employees go in with bulk_create, not employee_create: the service writes an audit entry per person,
    # and the audit log is for changes people make; a generated company is nobody's change.
    # Pass 1: the heads. The head of the root department leads the company; the other heads report to them.
    root = heads[_dept_index(data, _root_code(data))]
    root_employee = Employee.objects.bulk_create([build(root, None)])[0]
    head_employees = {root.dept: root_employee}
    others = [p for p in heads.values() if p is not root]
    for person, created in zip(others, Employee.objects.bulk_create(
            [build(p, root_employee.pk) for p in others]), strict=True):
        head_employees[person.dept] = created
    _create_events(list(head_employees.values()), departments)

    # Pass 2: everyone else, reporting to the head of their department.
    rest = [p for p in people if not p.head]
    created_count = len(head_employees)
    next_report = BATCH_SIZE * 4
    for start in range(0, len(rest), BATCH_SIZE):
        batch = Employee.objects.bulk_create(
            [build(p, head_employees[p.dept].pk) for p in rest[start:start + BATCH_SIZE]],
            batch_size=BATCH_SIZE,
        )
        _create_events(batch, departments)
        created_count += len(batch)
        if created_count >= next_report and created_count < employees:
            stdout.write(f"  {created_count:,} / {employees:,} employees\n")
            next_report += BATCH_SIZE * 4
    seconds = time.perf_counter() - started
    stdout.write(f"Loaded the demo company {data['company']['name']} with {created_count:,} employees "
                 f"in {seconds:.1f} s.\n")
    return DemoSummary(
        created=True,
        departments=len(departments),
        jobs=len(jobs),
        employees=created_count,
        users=len(NAMED_USERNAMES) + (len(user_ids) - len(linked)),
        seconds=seconds,
        logins=_named_logins(),
        personal_login_example=example,
    )


def _analyze() -> None:
    """Refresh PostgreSQL's planner statistics after the bulk load, as its manual advises ("Populating a
    Database"). Until autovacuum gets round to it the planner takes the new tables for nearly empty ones
    and picks plans (sorts spilling to disk) that make the first minutes of the demo slow."""
    if connection.vendor != "postgresql":
        return
    tables = [model._meta.db_table for model in (Department, Job, Employee, EmployeeEvent, User)]
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE " + ", ".join(connection.ops.quote_name(table) for table in tables))


def _root_code(data: dict[str, Any]) -> str:
    return str(next(d["code"] for d in data["departments"] if d["parent"] is None))


def _dept_index(data: dict[str, Any], code: str) -> int:
    return next(i for i, d in enumerate(data["departments"]) if d["code"] == code)


def _email(person: _Person) -> str:
    return f"{person.number.lower()}@{EMAIL_DOMAIN}"


def _create_departments(data: dict[str, Any]) -> list[Department]:
    """One bulk insert per tree level, so each level knows its parents' ids."""
    specs: list[dict[str, Any]] = data["departments"]
    by_code: dict[str, Department] = {}
    pending = list(specs)
    while pending:
        ready = [d for d in pending if d["parent"] is None or d["parent"] in by_code]
        if not ready:
            raise DemoError("demo_company.json: a department's parent is missing or the tree has a loop.")
        created = Department.objects.bulk_create(
            Department(code=d["code"], name=d["name"], name_en=d["name_en"],
                       parent=by_code[d["parent"]] if d["parent"] else None)
            for d in ready
        )
        by_code |= {dept.code: dept for dept in created}
        pending = [d for d in pending if d["code"] not in by_code]
    return [by_code[d["code"]] for d in specs]


def _create_named_users(password: str) -> dict[str, User]:
    specs = [
        (HR_USERNAME, Role.HR_ADMIN, "人力资源管理员"),
        (RECRUITER_USERNAME, Role.RECRUITER, "招聘专员"),
        (MANAGER_USERNAMES[0], Role.HIRING_MANAGER, ""),
        (MANAGER_USERNAMES[1], Role.HIRING_MANAGER, ""),
        (EMPLOYEE_USERNAME, Role.EMPLOYEE, ""),
    ]
    created = User.objects.bulk_create(
        User(
            username=username, password=password, role=role, display_name=display,
            email=f"{username}@{EMAIL_DOMAIN}",
            is_staff=role == Role.HR_ADMIN, is_superuser=role == Role.HR_ADMIN,
        )
        for username, role, display in specs
    )
    return {user.username: user for user in created}


def _create_personal_users(
    people: list[_Person], linked: dict[int, User], password: str
) -> dict[int, int]:
    """A login per employee (not for the ones a named demo user already stands for)."""
    owners = [p for p in people if id(p) not in linked]
    created = User.objects.bulk_create(
        [
            User(
                username=p.number.lower(), password=password, display_name=p.name, email=_email(p),
                role=Role.HIRING_MANAGER if p.head else Role.EMPLOYEE,
                # People who have left keep their record but can no longer log in.
                is_active=p.status != Employee.Status.TERMINATED,
            )
            for p in owners
        ],
        batch_size=BATCH_SIZE,
    )
    return {id(p): user.pk for p, user in zip(owners, created, strict=True)}


def _create_jobs(
    data: dict[str, Any], departments: list[Department], levels: dict[str, JobLevel], *, actor: User
) -> list[Job]:
    codes = {line["competency"] for job in data["jobs"] for line in job["competency_model"]}
    competencies = Competency.objects.in_bulk(codes, field_name="code")
    missing = sorted(codes - set(competencies))
    if missing:
        raise DemoError(f"The competency library lacks {', '.join(missing)}; run `talentloop migrate` first.")
    by_code = {dept.code: dept for dept in departments}
    return [
        job_create(
            actor=actor,
            data={
                "title": spec["title"], "department": by_code[spec["department"]],
                "level": levels.get(spec["level"]), "description": spec["description"],
                "requirements": spec["requirements"], "headcount": spec["headcount"],
                "status": spec["status"],
            },
            competency_model=[
                {"competency": competencies[line["competency"]], "weight": str(line["weight"]),
                 "required_score": line["required_score"]}
                for line in spec["competency_model"]
            ],
        )
        for spec in data["jobs"]
    ]


def _create_events(employees: list[Employee], departments: list[Department]) -> None:
    names = {dept.pk: dept.name for dept in departments}
    EmployeeEvent.objects.bulk_create(
        [
            EmployeeEvent(
                employee_id=e.pk, kind=EmployeeEvent.Kind.JOINED,
                occurred_on=e.hire_date or timezone.localdate(),
                summary=names[e.department_id], data={"department": e.department_id, "job": e.job_id},
            )
            for e in employees
        ],
        batch_size=BATCH_SIZE,
    )
