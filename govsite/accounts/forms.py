"""The admin login form with every label in Chinese (Wagtail's own leaves the password label English)."""

from __future__ import annotations

from typing import Any

from django import forms
from wagtail.admin.forms.auth import LoginForm


class GovLoginForm(LoginForm):
    password = forms.CharField(
        label="密码", strip=False, widget=forms.PasswordInput(attrs={"placeholder": "输入密码"})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "账号"
        self.fields["username"].widget.attrs["placeholder"] = "输入账号"
        self.fields["remember"].label = "记住我"
        self.error_messages["invalid_login"] = "账号或密码不正确，请重新输入。"
