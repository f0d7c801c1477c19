"""Resumes: from an uploaded file to text (`extract_text`), and from text to structured data (`parse_resume`).

    extracted = extract_text(data, "cv.pdf")          # raises UnreadableDocument(code, message)
    parsed = parse_resume(extracted.text)             # never raises; ParsedResume.to_dict() is plain JSON

Screening a parsed resume against a job lives in talentloop.assessment.screening.
"""

from .cities import city_english_name, normalise_city
from .documents import ERROR_CODES, ExtractedText, UnreadableDocument, extract_text
from .extract import parse_resume
from .parsed import DEGREE_RANK, DEGREES, Education, LanguageSkill, ParsedResume, WorkExperience
from .skills import Skill, all_skills, find_skills, normalise_skill

__all__ = [
    "DEGREES",
    "DEGREE_RANK",
    "ERROR_CODES",
    "Education",
    "ExtractedText",
    "LanguageSkill",
    "ParsedResume",
    "Skill",
    "UnreadableDocument",
    "WorkExperience",
    "all_skills",
    "city_english_name",
    "extract_text",
    "find_skills",
    "normalise_city",
    "normalise_skill",
    "parse_resume",
]
