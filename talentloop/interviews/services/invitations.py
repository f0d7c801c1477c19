"""The candidate's invitation: the secret link and the email that carries it, in the interview's language."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from ..models import InterviewSession
from .rules import site_url, when


def candidate_path(session: InterviewSession) -> str:
    """The candidate's landing page, relative to the site: /interview/<token>/."""
    return reverse("interview:landing", kwargs={"token": session.token})


def candidate_url(session: InterviewSession) -> str:
    return site_url() + candidate_path(session)


def invitation_email_send(*, session_id: int) -> bool:
    """Email the candidate their link. False when the candidate has no email address or the session is gone."""
    session = (
        InterviewSession.objects.select_related("application__candidate", "application__job")
        .filter(pk=session_id).first()
    )
    if session is None:
        return False
    candidate = session.application.candidate
    if not candidate.email:
        return False
    company = getattr(settings, "TALENTLOOP_COMPANY_NAME", "TalentLoop")
    count = session.questions.count()
    minutes = max(1, round(sum(session.questions.values_list("time_limit_seconds", flat=True)) / 60))
    with translation.override(session.language):
        values = {
            "company": company, "job": session.application.job.title,
            "candidate": candidate.name or candidate.email, "url": candidate_url(session),
            "expires": when(session.expires_at), "count": count, "minutes": minutes,
        }
        subject = _("%(company)s: your AI interview for %(job)s") % values
        body = _(
            "Dear %(candidate)s,\n\n"
            "Thank you for applying for %(job)s. The next step is a short written interview: %(count)d questions "
            "you answer by typing, one at a time, each with its own time limit (about %(minutes)d minutes in "
            "all). Your answers are saved as you type, so you can resume if the connection drops.\n\n"
            "Start here (the link is personal; please do not share it):\n%(url)s\n\n"
            "The link works until %(expires)s.\n\n"
            "What is analysed: only the text of your answers; no voice, no video. A scoring program writes a "
            "report for the recruiting team, and people make the decision. You may ask for a human interviewer "
            "instead on the first page, and for a human review of the result afterwards.\n\n"
            "The %(company)s recruiting team"
        ) % values
        send_mail(subject, body, None, [candidate.email])
    return True
