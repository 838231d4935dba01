"""Wagtail's user admin, wrapped so every change goes through ``accounts.actions``.

The forms offer only the roles the acting account may grant, never the superuser flag, and an
account the actor may not manage (itself, a superuser, a 三员 account) cannot be opened at all.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from wagtail.users.views import users as wagtail_user_views

from govsite.accounts import actions
from govsite.accounts import roles as role_policy
from govsite.accounts.models import User

ACCOUNT_FIELDS = ["username", "full_name", "unit", "post", "phone", "email"]


class AccountForm(forms.ModelForm):
    """Shared by create and edit: profile fields plus the roles the actor may grant."""

    password1 = forms.CharField(
        label="密码",
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label="确认密码",
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    groups = forms.ModelMultipleChoiceField(
        label="角色", queryset=Group.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = User
        fields = ACCOUNT_FIELDS

    def __init__(self, *args: Any, actor: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.actor = actor
        grantable = role_policy.grantable_groups(actor)
        groups_field = self.fields["groups"]
        assert isinstance(groups_field, forms.ModelMultipleChoiceField)
        groups_field.queryset = Group.objects.filter(pk__in=[g.pk for g in grantable]).order_by("name")
        groups_field.help_text = "只列出您有权授予的角色"
        if self.instance.pk:
            self.fields["groups"].initial = list(
                self.instance.groups.filter(pk__in=[g.pk for g in grantable])
            )
            self.fields["password1"].help_text = "不修改密码请留空"
        else:
            self.fields["password1"].required = True
            self.fields["password2"].required = True
        self.fields["email"].required = False

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        p1, p2 = cleaned.get("password1"), cleaned.get("password2")
        if p1 != p2:
            self.add_error("password2", "两次输入的密码不一致")
        elif p1:
            probe = User(username=cleaned.get("username") or self.instance.username)
            try:
                validate_password(p1, probe)
            except ValidationError as exc:
                self.add_error("password1", exc)
        return cleaned

    def apply(self) -> User:
        """Save through the named actions, in one transaction."""
        data = self.cleaned_data
        wanted = set(data["groups"])
        with transaction.atomic():
            if self.instance.pk is None:
                return actions.create_account(
                    self.actor,
                    username=data["username"],
                    full_name=data["full_name"],
                    unit=data["unit"],
                    password=data["password1"],
                    email=data["email"],
                    post=data["post"],
                    phone=data["phone"],
                    groups=wanted,
                )
            user = User.objects.select_for_update().get(pk=self.instance.pk)
            actions.update_profile(self.actor, user, **{f: data[f] for f in ACCOUNT_FIELDS})
            if data.get("password1"):
                actions.set_password(self.actor, user, data["password1"])
            if "is_active" in data and data["is_active"] != user.is_active:
                actions.set_active(self.actor, user, data["is_active"])
            grantable = set(
                Group.objects.filter(pk__in=[g.pk for g in role_policy.grantable_groups(self.actor)])
            )
            current = set(user.groups.filter(pk__in=[g.pk for g in grantable]))
            for group in sorted(wanted - current, key=lambda g: g.pk):
                actions.grant_role(self.actor, user, group)
            for group in sorted(current - wanted, key=lambda g: g.pk):
                actions.revoke_role(self.actor, user, group)
            return user


class AccountEditForm(AccountForm):
    class Meta:
        model = User
        fields = [*ACCOUNT_FIELDS, "is_active"]


class _ActionFormMixin:
    request: HttpRequest
    form: AccountForm

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs: dict[str, Any] = super().get_form_kwargs()  # type: ignore[misc]
        kwargs.pop("editing_self", None)
        kwargs["actor"] = self.request.user
        return kwargs

    def save_instance(self) -> User:
        try:
            return self.form.apply()
        except ValidationError as exc:
            self.form.add_error(None, exc)
            raise


class CreateView(_ActionFormMixin, wagtail_user_views.CreateView):
    template_name = "accounts/user_form.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not role_policy.can_create_accounts(request.user):  # type: ignore[arg-type]
            raise PermissionDenied("没有新建账号的权限")
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form: Any) -> HttpResponse:
        try:
            return super().form_valid(form)
        except ValidationError:
            return self.form_invalid(form)


class EditView(_ActionFormMixin, wagtail_user_views.EditView):
    template_name = "accounts/user_form.html"

    def setup(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        super().setup(request, *args, **kwargs)
        if not role_policy.can_manage_account(request.user, self.object):  # type: ignore[arg-type]
            raise PermissionDenied("无权管理该账号")

    def form_valid(self, form: Any) -> HttpResponse:
        try:
            return super().form_valid(form)
        except ValidationError:
            return self.form_invalid(form)


class UserViewSet(wagtail_user_views.UserViewSet):
    add_view_class = CreateView
    edit_view_class = EditView

    def get_form_class(self, for_update: bool = False) -> type[AccountForm]:
        return AccountEditForm if for_update else AccountForm
