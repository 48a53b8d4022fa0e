"""Events (Veranstaltungen): where and when residents can take part in person or online,
and the registrations for them.

Split by responsibility; everything is importable from ``mitmachen.events.models``.
"""

from mitmachen.events.models.choices import (
    ACCESSIBILITY,
    DESCRIPTION_MAX_LENGTH,
    IN_PERSON_KINDS,
    MAX_CAPACITY,
    MAX_SERIES_DATES,
    ONLINE_KINDS,
    WEEKDAY_NAMES,
    Frequency,
    Kind,
    RegistrationStatus,
    Status,
    WeekOfMonth,
)
from mitmachen.events.models.contributions import EventContribution
from mitmachen.events.models.documentation import (
    ALT_TEXT_MAX_LENGTH,
    MAX_DOCUMENTATION_IMAGES,
    MAX_PARTICIPANTS,
    SUMMARY_MAX_LENGTH,
    Documentation,
    DocumentationImage,
)
from mitmachen.events.models.events import (
    Event,
    EventQuerySet,
)
from mitmachen.events.models.offices import (
    Closure,
    Office,
    OfficeQuerySet,
    OpeningHours,
)
from mitmachen.events.models.registrations import (
    ANSWER_MAX_LENGTH,
    GUEST_TOKEN_BYTES,
    MAX_OPTIONS,
    MAX_QUESTIONS,
    NO,
    YES,
    Answer,
    Question,
    QuestionKind,
    Registration,
    new_token,
)
from mitmachen.events.models.series import (
    Series,
    Tour,
    TourQuerySet,
)

__all__ = [
    "ACCESSIBILITY",
    "ALT_TEXT_MAX_LENGTH",
    "ANSWER_MAX_LENGTH",
    "DESCRIPTION_MAX_LENGTH",
    "GUEST_TOKEN_BYTES",
    "IN_PERSON_KINDS",
    "MAX_CAPACITY",
    "MAX_DOCUMENTATION_IMAGES",
    "MAX_OPTIONS",
    "MAX_PARTICIPANTS",
    "MAX_QUESTIONS",
    "MAX_SERIES_DATES",
    "NO",
    "ONLINE_KINDS",
    "SUMMARY_MAX_LENGTH",
    "WEEKDAY_NAMES",
    "YES",
    "Answer",
    "Closure",
    "Documentation",
    "DocumentationImage",
    "Event",
    "EventContribution",
    "EventQuerySet",
    "Frequency",
    "Kind",
    "Office",
    "OfficeQuerySet",
    "OpeningHours",
    "Question",
    "QuestionKind",
    "Registration",
    "RegistrationStatus",
    "Series",
    "Status",
    "Tour",
    "TourQuerySet",
    "WeekOfMonth",
    "new_token",
]
