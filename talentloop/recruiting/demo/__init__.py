"""The recruiting side of the demo company: sample resumes to try the bulk import with, and applications
spread over the demo jobs and moved through the pipeline, so the kanban has something to show.

`sample_resumes()` makes realistic resumes (Chinese and English) for the six demo jobs, deterministically
from a seed; `sample_resumes_write()` writes them as PDF (reportlab; Chinese in the STSong-Light CID font),
Word (python-docx) and text files (UTF-8, and GB18030 as Windows Notepad saves Chinese). Each resume fits its
job strongly, partly or weakly, so screening has something to tell apart. The benchmarks use the same
generator for their thousands of files.

`recruiting_demo_seed()` writes the files, imports some of them through the bulk import service and moves
applications through stages with reasons (as HR), then dates the history back a few weeks."""

from .profiles import EMAIL_DOMAINS, PROFILES
from .resumes import SAMPLE_COUNT, Block, SampleResume, job_folder_name, sample_resumes, sample_resumes_write
from .seed import IMPORT_PER_JOB, default_folder, demo_jobs, recruiting_demo_seed

__all__ = [
    "EMAIL_DOMAINS",
    "IMPORT_PER_JOB",
    "PROFILES",
    "SAMPLE_COUNT",
    "Block",
    "SampleResume",
    "default_folder",
    "demo_jobs",
    "job_folder_name",
    "recruiting_demo_seed",
    "sample_resumes",
    "sample_resumes_write",
]
