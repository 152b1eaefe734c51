"""Forms for joining up ideas: asking to join, answering, linking and merging."""

from __future__ import annotations

from django import forms

from harrow_innovation.core.text import LONG_TEXT_MAX, LongTextField

from ..models import JoinRequest, LinkKind

TEXTAREA = forms.Textarea(attrs={"rows": 4})


class JoinRequestForm(forms.Form):
    message = LongTextField(
        name="Your message", max_length=LONG_TEXT_MAX, widget=TEXTAREA,
        error_messages={"required": "Enter a message to the owners: what you are working on and how you could help"},
    )


class JoinAnswerForm(forms.Form):
    ACCEPT_CONTRIBUTOR = "contributor"
    ACCEPT_CO_OWNER = "co_owner"
    DECLINE = "decline"
    answer = forms.ChoiceField(
        choices=[
            (ACCEPT_CONTRIBUTOR, "Accept as a contributor"),
            (ACCEPT_CO_OWNER, "Accept as a co-owner"),
            (DECLINE, "Decline"),
        ],
        error_messages={"required": "Choose an answer", "invalid_choice": "Choose an answer"},
    )
    reason = LongTextField(name="The reason", max_length=LONG_TEXT_MAX, required=False, widget=TEXTAREA)

    def clean(self):
        data = super().clean()
        if data.get("answer") == self.DECLINE and not (data.get("reason") or "").strip():
            self.add_error("reason", "Enter a reason for declining: the person who asked will see it")
        return data

    @property
    def joined_as(self) -> str:
        return {self.ACCEPT_CONTRIBUTOR: JoinRequest.JoinAs.CONTRIBUTOR,
                self.ACCEPT_CO_OWNER: JoinRequest.JoinAs.CO_OWNER}.get(self.cleaned_data["answer"], "")


class IdeaLinkForm(forms.Form):
    kind = forms.ChoiceField(
        choices=LinkKind.choices,
        error_messages={"required": "Choose how the ideas are linked", "invalid_choice": "Choose how the ideas are linked"},
    )
    other = forms.CharField(
        max_length=20,
        error_messages={"required": "Enter the other idea's reference, for example IDEA-00012",
                        "max_length": "Enter the other idea's reference, for example IDEA-00012"},
    )


class LinkRemoveForm(forms.Form):
    confirm = forms.CharField(required=False)


class MergeForm(forms.Form):
    survivor = forms.CharField(
        max_length=20,
        error_messages={"required": "Enter the reference of the idea that carries on, for example IDEA-00012",
                        "max_length": "Enter the reference of the idea that carries on, for example IDEA-00012"},
    )
    reason = LongTextField(
        name="The reason", max_length=LONG_TEXT_MAX, widget=TEXTAREA,
        error_messages={"required": "Enter why these ideas are being merged: both owners will read it"},
    )
