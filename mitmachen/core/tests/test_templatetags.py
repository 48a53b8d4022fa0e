"""Template filters of ``{% load mitmachen %}``."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

from django.template import Context, Template
from django.utils import timezone

from mitmachen.core.templatetags.mitmachen import iso_datetime

# HTML's "valid global date and time string" (with an offset; 1 to 3 digits of a second).
HTML_GLOBAL_DATETIME = re.compile(
    r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$"
)


def test_iso_datetime_drops_microseconds_and_keeps_the_offset() -> None:
    moment = dt.datetime(2026, 3, 29, 0, 30, 15, 123456, tzinfo=dt.UTC)
    with timezone.override(ZoneInfo("Europe/Berlin")):
        value = iso_datetime(moment)
    assert value == "2026-03-29T01:30:15+01:00"
    assert HTML_GLOBAL_DATETIME.match(value)
    # After the change to summer time the offset follows.
    with timezone.override(ZoneInfo("Europe/Berlin")):
        assert iso_datetime(moment + dt.timedelta(hours=2)) == "2026-03-29T04:30:15+02:00"


def test_iso_datetime_in_a_template_is_a_valid_html_datetime() -> None:
    moment = timezone.now().replace(microsecond=987654)
    html = Template(
        '{% load mitmachen %}<time datetime="{{ moment|iso_datetime }}">x</time>'
    ).render(Context({"moment": moment}))
    found = re.search(r'datetime="([^"]*)"', html)
    assert found is not None, html
    value = found.group(1)
    assert HTML_GLOBAL_DATETIME.match(value), value
    # The date filter's "c" format, used before, writes six digits – invalid in HTML.
    old = Template('{{ moment|date:"c" }}').render(Context({"moment": moment}))
    assert not HTML_GLOBAL_DATETIME.match(old)


def test_iso_datetime_of_a_date_and_of_nothing() -> None:
    assert iso_datetime(dt.date(2026, 5, 1)) == "2026-05-01"
    assert iso_datetime(None) == ""
    assert iso_datetime("") == ""
