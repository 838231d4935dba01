"""Who and where the current request comes from, for audit rows written deeper in the call stack."""

from __future__ import annotations

import contextvars
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestContext:
    source_ip: str | None = None
    user_agent: str = ""
    request_id: str = ""


CLI_CONTEXT = RequestContext(source_ip=None, user_agent="命令行", request_id="")
_current: contextvars.ContextVar[RequestContext | None] = contextvars.ContextVar(
    "audit_request", default=None
)


def current() -> RequestContext:
    return _current.get() or CLI_CONTEXT


def bind(ctx: RequestContext) -> contextvars.Token[RequestContext | None]:
    return _current.set(ctx)


def unbind(token: contextvars.Token[RequestContext | None]) -> None:
    _current.reset(token)
