"""Password policy (DB-01; the 源城 rule: at least 8 characters with letters, digits and symbols)."""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError


class StrongPasswordValidator:
    """At least ``min_length`` characters containing a letter, a digit and a symbol."""

    def __init__(self, min_length: int = 8) -> None:
        self.min_length = min_length

    def validate(self, password: str, user: Any = None) -> None:
        problems = []
        if len(password) < self.min_length:
            problems.append(f"至少 {self.min_length} 个字符")
        if not re.search(r"[A-Za-z]", password):
            problems.append("包含字母")
        if not re.search(r"\d", password):
            problems.append("包含数字")
        if not re.search(r"[^A-Za-z0-9\s]", password):
            problems.append("包含符号（如 ! @ # $ %）")
        if problems:
            raise ValidationError(
                "密码强度不足：密码须" + "、".join(problems) + "。", code="password_too_weak"
            )

    def get_help_text(self) -> str:
        return f"密码至少 {self.min_length} 个字符，须同时包含字母、数字和符号。"


class NotContainingUsernameValidator:
    """The password must not contain the account name (DB-01)."""

    def validate(self, password: str, user: Any = None) -> None:
        username = (getattr(user, "username", "") or "").lower()
        if len(username) >= 3 and username in password.lower():
            raise ValidationError("密码不能包含账号名。", code="password_contains_username")

    def get_help_text(self) -> str:
        return "密码不能包含账号名。"
