from __future__ import annotations

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size, Submit
from django import forms

from .kinds import KINDS
from .models import Channel


class PreferencesForm(forms.Form):
    """One radio group per kind of event that people may change."""

    def __init__(self, *args, current: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        for kind, info in KINDS.items():
            if info.fixed:
                continue
            self.fields[kind] = forms.ChoiceField(
                label=info.question,
                help_text=info.hint,
                choices=Channel.choices,
                widget=forms.RadioSelect,
                initial=current[kind],
                error_messages={
                    "required": f"Choose how you want to hear: {info.question[0].lower()}{info.question[1:]}",
                    "invalid_choice": "Choose immediately, in a daily digest, or off",
                },
            )
        self.helper = FormHelper()
        self.helper.attrs = {"novalidate": "", "data-form": "notification_preferences"}
        self.helper.layout = Layout(
            *(Field.radios(name, legend_size=Size.SMALL, legend_tag="h2", small=True, inline=True) for name in self.fields),
            Submit("submit", "Save preferences"),
        )


class UnsubscribeForm(forms.Form):
    """Nothing to fill in: the button confirms. GET shows it; only POST changes anything."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.attrs = {"novalidate": "", "data-form": "unsubscribe"}
        self.helper.layout = Layout(Submit("submit", "Stop these emails"))
