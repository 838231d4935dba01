"""Binds the request's source IP, user agent and a request id for the audit log."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from govsite.audit import context


class AuditContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # Only REMOTE_ADDR is trusted; a proxy hop allowlist for X-Forwarded-For comes with DB-16.
        ctx = context.RequestContext(
            source_ip=request.META.get("REMOTE_ADDR") or None,
            user_agent=request.META.get("HTTP_USER_AGENT", "")[:300],
            request_id=uuid.uuid4().hex,
        )
        token = context.bind(ctx)
        try:
            response = self.get_response(request)
        finally:
            context.unbind(token)
        response["X-Request-ID"] = ctx.request_id
        return response
