"""Writes to the organisation. Every function checks the actor's permission, validates, audits, and
either writes everything or nothing."""

from .competencies import competency_create, competency_update
from .departments import department_create, department_update
from .employees import employee_create, employee_update
from .jobs import job_create, job_update

__all__ = [
    "competency_create",
    "competency_update",
    "department_create",
    "department_update",
    "employee_create",
    "employee_update",
    "job_create",
    "job_update",
]
