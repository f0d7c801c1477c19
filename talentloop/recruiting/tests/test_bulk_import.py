"""services.bulk_import and `talentloop import-resumes`: a folder of real files (good resumes, the same person
twice, an empty file, an image, a scanned and a damaged PDF) gives an exact summary; every file is its own
transaction; the command's report and exit codes, in-process and as the real console script."""

from __future__ import annotations

import io
import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any, cast

import pytest
from django.core.management import CommandError, call_command

from talentloop.core.errors import NotFound, PermissionDenied, ValidationFailed
from talentloop.core.models import Role, User
from talentloop.core.testing.factories import JobFactory, UserFactory
from talentloop.org.models import Job
from talentloop.recruiting.models import Application, Candidate, StageChange
from talentloop.recruiting.services import bulk_import
from talentloop.recruiting.services.bulk_import import (
    FileOutcome,
    ImportSummary,
    Outcome,
    contact_from_file_name,
    import_actor,
    resume_files,
    resumes_import,
)
from talentloop.recruiting.services.intake import ResumeUpload
from talentloop.recruiting.tests import files

pytestmark = pytest.mark.django_db

EMPTY = "The resume cannot be read: the file is empty. Upload another file, or give an email or phone number."
DAMAGED = (
    "The resume cannot be read: the file is damaged and cannot be opened. Upload another file, or give an email "
    "or phone number."
)
SCANNED = "the PDF contains only images (a scan?); text recognition (OCR) is not supported"


def make_job(**fields: Any) -> Job:
    return cast(Job, JobFactory(**{**files.BACKEND_JOB_TEXT, **fields}))


def write(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def make_folder(folder: Path) -> Path:
    """Three people, one of them twice (a PDF and a text file with the same email), and the files that go
    wrong: empty, a photo, a Word 97 file, a scan whose name carries a phone number, a damaged PDF; plus
    hidden files that are not looked at."""
    write(folder, "a/liu_yang.pdf", files.pdf_file(files.LIU_YANG).data)
    write(folder, "a/zhou_min.docx", files.docx_file(files.ZHOU_MIN).data)
    write(folder, "b/he_jing-updated.pdf", files.pdf_file(files.HE_JING).data)
    write(folder, "b/he_jing.txt", files.text_file(files.HE_JING).data)
    write(folder, "empty.txt", b"")
    write(folder, "photo.png", files.png_image().data)
    write(folder, "cover letter.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    write(folder, "scans/王磊-137 0000 4444.pdf", files.image_only_pdf().data)
    write(folder, "truncated.pdf", files.corrupt_pdf().data)
    write(folder, ".DS_Store", b"\0\0\0\1Bud1")
    write(folder, ".git/config", b"[core]")
    return folder


EXPECTED = [
    ("a/liu_yang.pdf", Outcome.IMPORTED, "", "Liu Yang"),
    ("a/zhou_min.docx", Outcome.IMPORTED, "", "周敏"),
    ("b/he_jing-updated.pdf", Outcome.IMPORTED, "", "He Jing"),
    ("b/he_jing.txt", Outcome.DUPLICATE, "He Jing has already applied for this job (application {he_jing}).", ""),
    ("cover letter.doc", Outcome.UNSUPPORTED, "unsupported file type (.doc)", ""),
    ("empty.txt", Outcome.FAILED, EMPTY, ""),
    ("photo.png", Outcome.UNSUPPORTED, "unsupported file type (.png)", ""),
    ("scans/王磊-137 0000 4444.pdf", Outcome.UNREADABLE, SCANNED, "13700004444"),
    ("truncated.pdf", Outcome.FAILED, DAMAGED, ""),
]


def relative(summary: ImportSummary, folder: Path) -> list[tuple[str, Outcome, str, str]]:
    return [(Path(o.name).relative_to(folder).as_posix(), o.outcome, o.reason, o.candidate) for o in summary.outcomes]


def expected(**ids: int) -> list[tuple[str, Outcome, str, str]]:
    return [(name, outcome, reason.format(**ids), who) for name, outcome, reason, who in EXPECTED]


def application_of(email: str) -> Application:
    return Application.objects.select_related("candidate").get(candidate__email=email)


# --- the service -------------------------------------------------------------------------------------------


def test_resume_files_are_found_recursively_in_order_without_hidden_ones(tmp_path: Path) -> None:
    folder = make_folder(tmp_path)
    assert [p.relative_to(folder).as_posix() for p in resume_files(folder)] == [name for name, *_ in EXPECTED]


def test_a_folder_of_good_duplicate_and_broken_files_gives_the_exact_summary(
    org: dict[str, Any], tmp_path: Path
) -> None:
    folder = make_folder(tmp_path)
    job = make_job()
    seen: list[FileOutcome] = []

    summary = resumes_import(actor=org["users"]["hr"], job=job, paths=resume_files(folder), progress=seen.append)

    he_jing = application_of("he.jing@example.com")
    assert relative(summary, folder) == expected(he_jing=he_jing.pk)
    assert (summary.job_id, summary.imported, summary.duplicates, summary.unreadable, summary.unsupported,
            summary.failed, summary.total, summary.created) == (job.pk, 3, 1, 1, 2, 2, 9, 4)
    assert list(seen) == list(summary.outcomes)
    assert summary.having(Outcome.DUPLICATE) == (summary.outcomes[3],)
    assert summary.seconds > 0
    # One candidate per person: He Jing's two files made one candidate with one application, from the PDF.
    assert sorted(Candidate.objects.values_list("name", "email", "phone", "source")) == [
        ("", "", "13700004444", "import"),
        ("He Jing", "he.jing@example.com", "13500003333", "import"),
        ("Liu Yang", "liu.yang@example.com", "13600001111", "import"),
        ("周敏", "zhoumin@example.cn", "13700002222", "import"),
    ]
    assert he_jing.resume_name == "he_jing-updated.pdf"
    created = {o.application_id for o in summary.outcomes if o.application_id is not None}
    assert created == set(Application.objects.values_list("pk", flat=True))
    scanned = Application.objects.get(candidate__phone="13700004444")
    assert (scanned.resume_status, scanned.resume_error, scanned.resume_name, scanned.screening_score) == (
        Application.ResumeStatus.UNREADABLE, SCANNED, "王磊-137 0000 4444.pdf", None,
    )
    # The readable resumes were screened against the job: Python and Django are required.
    assert {a.candidate.name: a.screening_passed for a in Application.objects.select_related("candidate")
            if a.resume_status == Application.ResumeStatus.OK} == {"Liu Yang": True, "周敏": False, "He Jing": True}
    assert StageChange.objects.count() == 0  # auto-advance is off by default


def test_importing_the_folder_again_only_finds_duplicates(org: dict[str, Any], tmp_path: Path) -> None:
    folder = make_folder(tmp_path)
    job = make_job()
    resumes_import(actor=org["users"]["hr"], job=job, paths=resume_files(folder))
    before = (Candidate.objects.count(), Application.objects.count())

    again = resumes_import(actor=org["users"]["hr"], job=job, paths=resume_files(folder))

    assert (again.imported, again.duplicates, again.unreadable, again.unsupported, again.failed) == (0, 5, 0, 2, 2)
    assert (Candidate.objects.count(), Application.objects.count()) == before
    assert again.having(Outcome.DUPLICATE)[4].reason == (
        f"13700004444 has already applied for this job (application "
        f"{Application.objects.get(candidate__phone='13700004444').pk})."
    )


def test_the_same_candidate_applies_to_another_job_as_the_same_person(org: dict[str, Any], tmp_path: Path) -> None:
    folder = tmp_path / "in"
    write(folder, "he_jing.txt", files.text_file(files.HE_JING).data)
    first, second = make_job(), make_job(title="Platform Engineer")
    resumes_import(actor=org["users"]["hr"], job=first, paths=resume_files(folder))

    summary = resumes_import(actor=org["users"]["hr"], job=second, paths=resume_files(folder))

    assert (summary.imported, summary.duplicates) == (1, 0)
    assert Candidate.objects.count() == 1
    assert sorted(Application.objects.values_list("job__title", flat=True)) == ["Backend Engineer", "Platform Engineer"]


def test_without_screening_nothing_is_scored(org: dict[str, Any], tmp_path: Path) -> None:
    folder = tmp_path / "in"
    write(folder, "liu_yang.pdf", files.pdf_file(files.LIU_YANG).data)

    summary = resumes_import(actor=org["users"]["hr"], job=make_job(), paths=resume_files(folder), screen=False)

    assert summary.imported == 1
    assert Application.objects.get().screening_score is None


def test_each_file_is_its_own_transaction(
    org: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "in"
    write(folder, "1-liu_yang.pdf", files.pdf_file(files.LIU_YANG).data)
    write(folder, "2-zhou_min.docx", files.docx_file(files.ZHOU_MIN).data)
    write(folder, "3-he_jing.txt", files.text_file(files.HE_JING).data)
    real = bulk_import.application_create

    def fails_for_zhou_min(**kwargs: Any) -> Application:
        application = real(**kwargs)  # written, then the database write after it fails
        if kwargs["resume"].name.endswith("zhou_min.docx"):
            raise RuntimeError("disk full")
        return application

    monkeypatch.setattr(bulk_import, "application_create", fails_for_zhou_min)

    summary = resumes_import(actor=org["users"]["hr"], job=make_job(), paths=resume_files(folder))

    assert [(o.outcome, o.reason) for o in summary.outcomes] == [
        (Outcome.IMPORTED, ""),
        (Outcome.FAILED, "unexpected error (RuntimeError); see the server log"),
        (Outcome.IMPORTED, ""),
    ]
    assert sorted(Candidate.objects.values_list("name", flat=True)) == ["He Jing", "Liu Yang"]
    assert Application.objects.count() == 2


def test_uploads_in_memory_and_unreadable_paths_are_accepted(org: dict[str, Any], tmp_path: Path) -> None:
    resume = files.text_file(files.ZHOU_MIN)
    missing = tmp_path / "gone.pdf"

    summary = resumes_import(
        actor=org["users"]["hr"], job=make_job(), source=Candidate.Source.AGENCY,
        paths=[ResumeUpload(resume.name, resume.data, len(resume.data)), missing],
    )

    assert [(o.name, o.outcome, o.reason, o.candidate) for o in summary.outcomes] == [
        ("zhou_min.txt", Outcome.IMPORTED, "", "周敏"),
        (str(missing), Outcome.FAILED, "cannot read the file: No such file or directory", ""),
    ]
    assert Candidate.objects.get().source == Candidate.Source.AGENCY


def test_only_hr_and_recruiters_may_import(org: dict[str, Any], tmp_path: Path) -> None:
    job = make_job()
    for role in ("manager", "employee"):
        with pytest.raises(PermissionDenied):
            resumes_import(actor=org["users"][role], job=job, paths=[])
    summary = resumes_import(actor=org["users"]["recruiter"], job=job, paths=[])
    assert (summary.total, summary.imported) == (0, 0)


def test_an_unknown_source_is_refused(org: dict[str, Any]) -> None:
    with pytest.raises(ValidationFailed) as raised:
        resumes_import(actor=org["users"]["hr"], job=make_job(), paths=[], source="newspaper")
    assert raised.value.errors == {"source": [
        "Unknown source “newspaper”; use one of: careers_page, referral, job_board, agency, import, api, other."
    ]}


@pytest.mark.parametrize(
    ("name", "contact"),
    [
        ("张伟-13812345678.pdf", ("", "13812345678")),
        ("【销售经理_上海】李娜 +86 139-8765-4321.docx", ("", "13987654321")),
        ("Resume - Emily.Chen@Example.com.pdf", ("emily.chen@example.com", "")),
        ("cv_2024_v12345678901234.pdf", ("", "")),  # digits inside a longer number are not a phone
        ("王芳_简历.pdf", ("", "")),
    ],
)
def test_contact_details_are_read_from_file_names(name: str, contact: tuple[str, str]) -> None:
    assert contact_from_file_name(name) == contact


def test_the_import_acts_as_the_first_active_hr_admin_or_the_named_user(org: dict[str, Any]) -> None:
    assert import_actor() == org["users"]["hr"]
    assert import_actor(username="recruiter") == org["users"]["recruiter"]
    User.objects.filter(pk=org["users"]["hr"].pk).update(is_active=False)
    later = UserFactory(username="hr2", role=Role.HR_ADMIN)
    assert import_actor() == later
    with pytest.raises(NotFound) as raised:
        import_actor(username="nobody")
    assert str(raised.value) == "No active user named “nobody”."


def test_without_an_active_hr_admin_there_is_nobody_to_import_as(db: Any) -> None:
    UserFactory(username="root", role=Role.EMPLOYEE, is_superuser=True, is_active=False)
    with pytest.raises(NotFound) as raised:
        import_actor()
    assert str(raised.value) == (
        "There is no active HR admin to import as. Create one (talentloop createsuperuser) or name a recruiter "
        "with --as USERNAME."
    )
    superuser = UserFactory(username="admin", role=Role.EMPLOYEE, is_superuser=True)
    assert import_actor() == superuser


# --- the command, in-process ---------------------------------------------------------------------------------


def report(folder: Path, job: Job, he_jing: int) -> list[str]:
    return [
        f"Job #{job.pk} Backend Engineer: 9 files in {folder}",
        "  imported                     3",
        "  duplicates                   1",
        "  unreadable but created       1",
        "  unsupported                  2",
        "  failed                       2",
        "",
        "Duplicates (already applied to this job; the candidate was not created twice):",
        f"  b/he_jing.txt: He Jing has already applied for this job (application {he_jing}).",
        "",
        "Unreadable but created (contact details from the file name; ask for another file):",
        f"  scans/王磊-137 0000 4444.pdf: {SCANNED}",
        "",
        "Unsupported (only .pdf, .docx, .txt files are imported):",
        "  cover letter.doc: unsupported file type (.doc)",
        "  photo.png: unsupported file type (.png)",
        "",
        "Failed (nothing was created):",
        f"  empty.txt: {EMPTY}",
        f"  truncated.pdf: {DAMAGED}",
        "",
    ]


TOOK = re.compile(r"^Took \d+\.\d s \(\d+\.\d files/s\)\.$")


def test_the_command_imports_the_folder_and_reports_every_file(org: dict[str, Any], tmp_path: Path) -> None:
    folder = make_folder(tmp_path)
    job = make_job()
    out, err = io.StringIO(), io.StringIO()

    call_command("import_resumes", str(folder), job=job.pk, stdout=out, stderr=err)

    lines = out.getvalue().splitlines()
    assert lines[:-1] == report(folder, job, application_of("he.jing@example.com").pk)
    assert TOOK.match(lines[-1]), lines[-1]
    assert err.getvalue() == ""  # the progress bar hides itself when stderr is not a terminal
    assert Application.objects.filter(job=job).count() == 4


def test_the_command_takes_the_source_screening_and_user_options(org: dict[str, Any], tmp_path: Path) -> None:
    folder = tmp_path / "in"
    write(folder, "liu_yang.pdf", files.pdf_file(files.LIU_YANG).data)

    call_command("import_resumes", str(folder), "--job", str(make_job().pk), "--source", "referral", "--no-screen",
                 "--as", "recruiter", stdout=io.StringIO())

    application = Application.objects.select_related("candidate").get()
    assert (application.candidate.source, application.screening_score) == ("referral", None)


def test_an_empty_folder_is_processed(org: dict[str, Any], tmp_path: Path) -> None:
    job = make_job()
    out = io.StringIO()
    call_command("import_resumes", str(tmp_path), job=job.pk, stdout=out)
    assert out.getvalue().splitlines()[:6] == [
        f"Job #{job.pk} Backend Engineer: 0 files in {tmp_path}",
        "  imported                     0",
        "  duplicates                   0",
        "  unreadable but created       0",
        "  unsupported                  0",
        "  failed                       0",
    ]


@pytest.mark.parametrize(
    ("args", "message", "code"),
    [
        (["{folder}", "--job", "999999"], "No job with id 999999.", 2),
        (["{folder}/missing", "--job", "{job}"], "{folder}/missing is not a folder.", 2),
        (["{folder}/liu_yang.pdf", "--job", "{job}"], "{folder}/liu_yang.pdf is not a folder.", 2),
        (["{folder}", "--job", "{job}", "--as", "nobody"], "No active user named “nobody”.", 2),
        (["{folder}", "--job", "{job}", "--as", "employee"], "Only HR and recruiters may do this.", 2),
    ],
)
def test_the_command_refuses_bad_arguments_with_exit_code_2(
    org: dict[str, Any], tmp_path: Path, args: list[str], message: str, code: int
) -> None:
    write(tmp_path, "liu_yang.pdf", files.pdf_file(files.LIU_YANG).data)
    values = {"folder": str(tmp_path), "job": str(make_job().pk)}
    with pytest.raises(CommandError) as raised:
        call_command("import_resumes", *[a.format(**values) for a in args], stdout=io.StringIO())
    assert (str(raised.value), raised.value.returncode) == (message.format(**values), code)
    assert Application.objects.count() == 0


def test_the_command_says_so_when_there_is_no_hr_admin(tmp_path: Path, db: Any) -> None:
    job = make_job()
    with pytest.raises(CommandError) as raised:
        call_command("import_resumes", str(tmp_path), job=job.pk, stdout=io.StringIO())
    assert raised.value.returncode == 1
    assert str(raised.value).startswith("There is no active HR admin to import as.")


# --- the real console script ----------------------------------------------------------------------------------


def console_script() -> str:
    beside_python = Path(sys.executable).parent / "talentloop"
    assert beside_python.exists(), "run the tests with the virtualenv's Python"
    return str(beside_python)


def run(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items()
           if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"} and not k.startswith("PYTEST_")}
    env.update({"TALENTLOOP_DATA_DIR": str(data_dir), "DATABASE_URL": f"sqlite:///{data_dir / 'import.sqlite3'}",
                "TALENTLOOP_LANGUAGE": "en", "LOG_LEVEL": "ERROR"})
    return subprocess.run([console_script(), *args], env=env, cwd=data_dir, capture_output=True, text=True,
                          timeout=300, check=False)


@pytest.fixture(scope="module")
def cli_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite database holding the demo company (its HR admin and jobs)."""
    data_dir = tmp_path_factory.mktemp("import-cli")
    for args in (("migrate", "--no-input", "-v", "0"), ("seed-demo", "--employees", "22")):
        result = run(data_dir, *args)
        assert result.returncode == 0, result.stderr
    return data_dir


def sql(data_dir: Path, query: str, *params: object) -> list[tuple[Any, ...]]:
    with sqlite3.connect(data_dir / "import.sqlite3") as db:
        return db.execute(query, params).fetchall()


def test_the_console_script_imports_a_folder(cli_data: Path) -> None:
    folder = make_folder(cli_data / "resumes")
    [(job_id,)] = sql(cli_data, "SELECT id FROM org_job WHERE title = ?", "高级后端工程师")

    result = run(cli_data, "import-resumes", "--job", str(job_id), str(folder))

    assert result.returncode == 0, result.stderr
    [(he_jing,)] = sql(cli_data, "SELECT a.id FROM recruiting_application a JOIN recruiting_candidate c "
                                 "ON c.id = a.candidate_id WHERE c.email = ?", "he.jing@example.com")
    lines = result.stdout.splitlines()
    assert lines[0] == f"Job #{job_id} 高级后端工程师: 9 files in {folder}"
    assert lines[1:-1] == report(folder, Job(pk=job_id), he_jing)[1:]
    assert TOOK.match(lines[-1]), lines[-1]
    assert result.stderr == ""
    assert sql(cli_data, "SELECT count(*), count(DISTINCT candidate_id) FROM recruiting_application "
                         "WHERE job_id = ?", job_id) == [(4, 4)]


@pytest.mark.parametrize(
    ("args", "stderr"),
    [
        (("--job", "999999", "{folder}"), "CommandError: No job with id 999999."),
        (("--job", "{job}", "{folder}/nowhere"), "CommandError: {folder}/nowhere is not a folder."),
    ],
)
def test_the_console_script_exits_with_2_for_a_bad_job_or_folder(
    cli_data: Path, args: tuple[str, ...], stderr: str
) -> None:
    [(job_id,)] = sql(cli_data, "SELECT id FROM org_job WHERE title = ?", "数据分析师")
    values = {"folder": str(cli_data), "job": str(job_id)}

    result = run(cli_data, "import-resumes", *[a.format(**values) for a in args])

    assert (result.returncode, result.stderr.strip(), result.stdout) == (2, stderr.format(**values), "")
