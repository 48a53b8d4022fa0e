"""Language choice and the Permissions-Policy header (the Content-Security-Policy is
django-csp's, see CONTENT_SECURITY_POLICY in config/settings.py)."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers


class PermissionsPolicyMiddleware:
    """Sets a Permissions-Policy: no camera, microphone or payment; location for this host
    only. The Content-Security-Policy is django-csp's
    (``CONTENT_SECURITY_POLICY`` in config/settings.py); like it, this header is left off
    the Django admin.
    """

    header = "camera=(), microphone=(), geolocation=(self), payment=()"

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.excluded = tuple(settings.CONTENT_SECURITY_POLICY["EXCLUDE_URL_PREFIXES"])

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path_info.startswith(self.excluded):
            response.headers.setdefault("Permissions-Policy", self.header)
        return response


class LanguageMiddleware:
    """German unless the person chose another language with the switch (a cookie).

    Django's LocaleMiddleware would follow the browser's Accept-Language; many
    residents' phones are set to English while they expect the town's site in
    German, so only an explicit choice counts here.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        request.LANGUAGE_CODE = language
        # override() restores the previous language afterwards, so a choice never
        # leaks into later work of the same thread (another request, a task).
        with translation.override(language):
            response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ["Cookie"])
        return response
