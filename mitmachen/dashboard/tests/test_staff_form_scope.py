"""No choice on any staff page of the site offers another municipality's objects.

The admin has its own walk (``core/tests/test_admin_scoping.py``); this one walks the
site. Municipality A and municipality B each hold an object of every kind
(``core/tests/admin_scope.py``). As A's municipality admin, project manager and
moderator, the test starts at "Meine Projekte" (``/verwaltung/``), follows every link
to a staff page (``/verwaltung/…``) and opens every page those pages link to; on every
staff page (under ``/verwaltung/``, or one that A's resident cannot open: a module's own
set-up pages) it asks every form: a field with a list of choices (a queryset) must not accept
an object of B, and no ``<select>`` or checkbox/radio on the page may offer one. New
set-up pages of a module are found by following the links, so they are checked without
being listed here.
"""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.forms import BaseForm
from django.forms.formsets import BaseFormSet
from django.test import Client

from mitmachen.core.tests.admin_scope import b_choice_problems, key, municipality

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

LINK = re.compile(r'href="(/[^"#?]*)')
# Downloads, the admin, the account pages and static files are not staff forms.
SKIP = re.compile(
    r"\.(csv|xlsx|pdf|json|ics|xml|pb|png|jpe?g|svg|webp)$|^/(admin|konto|static|media)/"
)
SELECT = re.compile(r'<select[^>]*\bname="([^"]+)"[^>]*>(.*?)</select>', re.S)
OPTION = re.compile(r'<option[^>]*\bvalue="([^"]*)"', re.S)
BOX = re.compile(
    r'<input(?=[^>]*\btype="(?:checkbox|radio)")(?=[^>]*\bname="([^"]+)")'
    r'(?=[^>]*\bvalue="([^"]*)")[^>]*>',
    re.S,
)
MAX_PAGES = 400


@pytest.fixture
def towns(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    a, b = municipality("a"), municipality("b")
    return {"a": a, "b": b, "b_keys": {key(obj) for obj in b.objects}}


def _forms(context):
    """Every form on the page (formsets' forms and their empty form included)."""
    seen = set()
    contexts = context if isinstance(context, list) else [context]
    layers = [layer for c in contexts for layer in getattr(c, "dicts", [c])]
    for layer in layers:
        for value in layer.values() if isinstance(layer, dict) else []:
            candidates = []
            if isinstance(value, BaseForm):
                candidates = [value]
            elif isinstance(value, BaseFormSet):
                candidates = [*value.forms, value.empty_form]
            for form in candidates:
                if id(form) not in seen:
                    seen.add(id(form))
                    yield form


def _b_choices(response, b_keys) -> list[str]:
    found = []
    content = response.content.decode()
    offered: dict[str, list[str]] = {n: OPTION.findall(body) for n, body in SELECT.findall(content)}
    for name, value in BOX.findall(content):
        offered.setdefault(name, []).append(value)
    for form in _forms(response.context):
        for name, field in form.fields.items():
            if getattr(field, "queryset", None) is None:
                continue
            prefixed = form.add_prefix(name)
            found += b_choice_problems(prefixed, field, offered.get(prefixed, []), b_keys)
    return found


def _walk(client, start="/verwaltung/"):
    """(url, response) of every staff page reachable from ``start``, and of every page
    a staff page links to (those are opened, not followed further)."""
    queue, seen = [start], {start}
    while queue and len(seen) <= MAX_PAGES:
        url = queue.pop(0)
        response = client.get(url)
        yield url, response
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        if not url.startswith("/verwaltung/"):
            continue
        for link in LINK.findall(response.content.decode()):
            link = unescape(link)
            if link not in seen and not SKIP.search(link):
                seen.add(link)
                queue.append(link)


@pytest.mark.parametrize("role", ["admin", "manager", "moderator"])
def test_no_staff_form_of_the_site_offers_another_municipalitys_objects(client, towns, role):
    a = towns["a"]
    client.force_login(getattr(a, role))
    resident = Client()
    resident.force_login(a.resident)
    failures, forms_seen, staff_pages = [], 0, 0
    for url, response in _walk(client):
        if response.status_code >= 500:
            failures.append(f"{url} → {response.status_code}")
            continue
        if response.status_code != 200 or response.context is None:
            continue
        # A staff page is one a resident cannot open. Public pages (the project list's
        # filter offers every municipality on purpose) are left out.
        if not url.startswith("/verwaltung/") and resident.get(url).status_code == 200:
            continue
        staff_pages += 1
        forms_seen += sum(1 for _form in _forms(response.context))
        failures += [f"{url}: {problem}" for problem in _b_choices(response, towns["b_keys"])]
    assert not failures, "\n".join(failures)
    # The walk reached the set-up: guards against a start page that links nowhere.
    assert staff_pages >= (10 if role != "moderator" else 2), staff_pages
    assert forms_seen >= (10 if role != "moderator" else 1), forms_seen
