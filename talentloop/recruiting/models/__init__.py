from .checks import BackgroundCheck, BackgroundCheckItem, CheckProvider, WebhookDelivery
from .offers import Offer, OfferTemplate
from .pipeline import (
    Application,
    ApplicationNote,
    Attachment,
    Candidate,
    Degree,
    EmailTemplate,
    ScreeningRules,
    Stage,
    StageChange,
)
from .written_tests import WrittenTest, WrittenTestQuestion, WrittenTestSitting

__all__ = [
    "Application",
    "ApplicationNote",
    "Attachment",
    "BackgroundCheck",
    "BackgroundCheckItem",
    "Candidate",
    "CheckProvider",
    "Degree",
    "EmailTemplate",
    "Offer",
    "OfferTemplate",
    "ScreeningRules",
    "Stage",
    "StageChange",
    "WebhookDelivery",
    "WrittenTest",
    "WrittenTestQuestion",
    "WrittenTestSitting",
]
