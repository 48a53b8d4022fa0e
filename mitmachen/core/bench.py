"""Helpers for the benchmark harness (``bench/run.py``), active only with
``MITMACHEN_BENCHMARK=1``; production never turns them on.

- ``ceiling``: a bare view with a tiny constant answer. It passes the same middleware
  as every page, so its throughput is the practical ceiling every scenario is
  compared with.
- ``QueryCountMiddleware``: adds ``X-Mitmachen-Queries`` (SQL queries of the request,
  middleware included) so the harness can report queries per request without DEBUG.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import connection
from django.http import HttpRequest, HttpResponse

QUERY_HEADER = "X-Mitmachen-Queries"


def ceiling(request: HttpRequest) -> HttpResponse:
    return HttpResponse(b"ok", content_type="text/plain")


class QueryCountMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        count = 0

        def counter(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counter):
            response = self.get_response(request)
        response[QUERY_HEADER] = str(count)
        return response
