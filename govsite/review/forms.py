"""Forms of the review admin pages: dismissing and overriding findings, and setting a workflow's steps."""

from __future__ import annotations

from typing import Any

from django import forms

from govsite.review.actions import MAX_STEPS, Step
from govsite.review.models import Approver


class DismissForm(forms.Form):
    reason = forms.CharField(label="忽略理由", max_length=500, required=False)


class OverrideForm(forms.Form):
    reason = forms.CharField(
        label="特批理由",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "请填写特批理由"},
    )


class WorkflowForm(forms.Form):
    """Where the workflow applies (the whole site or one column) and up to five steps in order."""

    target = forms.ChoiceField(label="适用范围", choices=())

    def __init__(self, *args: Any, targets: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        target = self.fields["target"]
        assert isinstance(target, forms.ChoiceField)
        target.choices = targets
        approvers = [("", "（不设此步）"), *Approver.choices]
        for number in range(1, MAX_STEPS + 1):
            self.fields[f"step{number}"] = forms.ChoiceField(
                label=f"第 {number} 步审批人", choices=approvers, required=False
            )
            self.fields[f"secrecy{number}"] = forms.BooleanField(
                label=f"第 {number} 步须保密审查", required=False
            )

    def step_fields(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [(self[f"step{n}"], self[f"secrecy{n}"]) for n in range(1, MAX_STEPS + 1)]

    def steps(self) -> list[Step]:
        chosen: list[Step] = []
        for number in range(1, MAX_STEPS + 1):
            approver = self.cleaned_data.get(f"step{number}") or ""
            if approver:
                chosen.append(Step(approver, bool(self.cleaned_data.get(f"secrecy{number}"))))
        return chosen
