"""Fixtures of the interviews tests (see _support.py): `interview_job`, `interview_application`, `setup` and
`interview_session`, on top of the project-wide `org`, `api` and `api_as`."""

from __future__ import annotations

from ._support import interview_application, interview_job, interview_session, setup

__all__ = ["interview_application", "interview_job", "interview_session", "setup"]
