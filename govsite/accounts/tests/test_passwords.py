"""DB-01 / 源城 rule: ≥ 8 characters with letters, digits and symbols, not containing the account name."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from govsite.accounts.models import User


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("Ab1#", "密码强度不足：密码须至少 8 个字符。"),
        ("abcdefgh", "密码强度不足：密码须包含数字、包含符号（如 ! @ # $ %）。"),
        ("1111abcd", "密码强度不足：密码须包含符号（如 ! @ # $ %）。"),
        ("1111####", "密码强度不足：密码须包含字母。"),
        ("Abcdefg#", "密码强度不足：密码须包含数字。"),
    ],
)
def test_weak_passwords_are_refused_with_the_missing_classes(password: str, message: str) -> None:
    with pytest.raises(ValidationError) as exc:
        validate_password(password, User(username="someone"))
    assert message in exc.value.messages


@pytest.mark.parametrize("password", ["1111Abc#", "Govsite#2026", "青山Qs#2026"])
def test_strong_passwords_pass(password: str) -> None:
    validate_password(password, User(username="someone"))


def test_password_containing_the_account_name_is_refused() -> None:
    with pytest.raises(ValidationError) as exc:
        validate_password("zhangsan#2026", User(username="ZhangSan"))
    assert exc.value.messages == ["密码不能包含账号名。"]
