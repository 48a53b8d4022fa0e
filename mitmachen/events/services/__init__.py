"""Every write of the events module, split by responsibility; everything is importable
from ``mitmachen.events.services``. Views, the admin, the commands and the demo call these
functions (docs/events.md)."""

from mitmachen.events.services.common import (
    EVENT_CHANGED,
    EVENT_DOCUMENTED,
    EVENT_PROMOTED,
    EVENT_REMINDER,
    LOCAL,
)
from mitmachen.events.services.contributions import (
    contribution_link,
    contribution_unlink,
)
from mitmachen.events.services.documentation import (
    ALT_TEXT_REQUIRED,
    IMAGE_MISSING,
    documentation_save,
)
from mitmachen.events.services.events import (
    _check_tour_stop,
    event_create,
    event_save,
    office_save,
    tour_clash,
    tour_save,
)
from mitmachen.events.services.past import past_event_record
from mitmachen.events.services.registration import (
    _locked,
    answer_key,
    answers_clean,
    check_in_set,
    guest_cancel,
    guest_confirm,
    guest_register,
    guest_registration,
    registration_cancel,
    registration_register,
)
from mitmachen.events.services.scheduled import (
    _remind,
    guests_delete,
    reminders_send,
)
from mitmachen.events.services.series import (
    series_create,
    series_dates,
    series_plan,
)

__all__ = [
    "ALT_TEXT_REQUIRED",
    "EVENT_CHANGED",
    "EVENT_DOCUMENTED",
    "EVENT_PROMOTED",
    "EVENT_REMINDER",
    "IMAGE_MISSING",
    "LOCAL",
    "_check_tour_stop",
    "_locked",
    "_remind",
    "answer_key",
    "answers_clean",
    "check_in_set",
    "contribution_link",
    "contribution_unlink",
    "documentation_save",
    "event_create",
    "event_save",
    "guest_cancel",
    "guest_confirm",
    "guest_register",
    "guest_registration",
    "guests_delete",
    "office_save",
    "past_event_record",
    "registration_cancel",
    "registration_register",
    "reminders_send",
    "series_create",
    "series_dates",
    "series_plan",
    "tour_clash",
    "tour_save",
]
