"""Forms for assigning reviewers, scoring ideas and filtering the ranking.

Forms check what a person typed; the rules about who may review what live in
``ideas.services`` (its ``WorkflowError`` messages become form errors).
"""

from __future__ import annotations

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size, Submit
from django import forms
from django.utils import timezone

from harrow_innovation.core.text import LONG_TEXT_MAX, LongTextField
from harrow_innovation.people.forms import gds_helper
from harrow_innovation.people.models import User

from ..models import Criterion, Recommendation, Stage


class ErrorLinksMixin:
    """Error summary links that land on a real element.

    crispy-forms-gds links a radio or checkbox question's errors to ``#id_<name>``, but it
    renders the options as ``id_<name>_1``, ``id_<name>_2``…, so its links go nowhere. GOV.UK
    links them to the first option; templates/ideas/reviewing/_error_summary.html uses these.
    """

    def error_links(self) -> list[tuple[str, str]]:
        from crispy_forms_gds.templatetags.crispy_forms_gds import field_errors

        def anchor(bound) -> str:
            if isinstance(bound.field.widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
                return f"{bound.auto_id}_1"
            if isinstance(bound.field.widget, forms.MultiWidget):
                return f"{bound.auto_id}_0"
            return bound.auto_id

        visible = self.visible_fields()
        links = [(anchor(visible[0]), str(error)) for error in self.non_field_errors()] if visible else []
        for bound in visible:
            if isinstance(bound.field.widget, forms.MultiWidget):  # each error on the day, month or year box
                links += [(target, str(error)) for target, errors in field_errors(bound) for error in errors]
            else:
                links += [(anchor(bound), str(error)) for error in bound.errors]
        return links


SCORE_CHOICES = [(1, "1 (weak)"), (2, "2"), (3, "3"), (4, "4"), (5, "5 (strong)")]


class DueDateField(DateInputField):
    def compress(self, data_list):
        try:
            return super().compress(data_list)
        except forms.ValidationError:
            raise forms.ValidationError("The due date must be a real date, like 27 3 2026") from None


class ReviewerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user: User) -> str:
        about = ", ".join(part for part in (user.job_title, user.department.name if user.department else "") if part)
        return f"{user.full_name} ({about})" if about else user.full_name


class AssignReviewerForm(ErrorLinksMixin, forms.Form):
    reviewer = ReviewerChoiceField(
        queryset=User.objects.none(),
        label="Reviewer",
        empty_label="Choose a reviewer",
        error_messages={
            "required": "Choose a reviewer",
            "invalid_choice": "Choose a reviewer from the list",
        },
    )
    due_date = DueDateField(
        label="Review due by (optional)",
        help_text="For example, 27 3 2026. Leave blank if there is no deadline.",
        required=False,
        require_all_fields=False,
    )

    # The stage the secretary saw: if the idea moves on before they press the button, nothing is assigned.
    stage = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["reviewer"]
        # The list offers only suitable people, but any active user is accepted here so that
        # the service explains why an unsuitable choice (from a stale page or a crafted
        # request) is refused: "already reviewing", "owns this idea", "not a reviewer".
        field.queryset = User.objects.filter(is_active=True)
        field.choices = [("", field.empty_label)] + [(user.pk, field.label_from_instance(user)) for user in candidates]
        self.helper = gds_helper(
            "stage", Field.select("reviewer"), Field("due_date", legend_size=Size.SMALL), submit="Assign reviewer"
        )
        self.helper.attrs["data-form"] = "assign_reviewer"

    def clean_due_date(self):
        due = self.cleaned_data.get("due_date")
        if due and due < timezone.localdate():
            raise forms.ValidationError("The due date must be today or in the future")
        return due


def score_field_name(criterion: Criterion) -> str:
    return f"score_{criterion.pk}"


class ReviewForm(ErrorLinksMixin, forms.Form):
    """One 1–5 question per active criterion, then a recommendation and a comment."""

    def __init__(self, *args, criteria: list[Criterion], **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for criterion in criteria:
            hint = f"{criterion.description} Weight {criterion.weight}." if criterion.description else (
                f"Weight {criterion.weight}."
            )
            self.fields[score_field_name(criterion)] = forms.TypedChoiceField(
                label=criterion.name,
                help_text=hint,
                choices=SCORE_CHOICES,
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={
                    "required": f"Score “{criterion.name}” from 1 to 5",
                    "invalid_choice": f"Score “{criterion.name}” with a whole number from 1 to 5",
                },
            )
        self.fields["recommendation"] = forms.ChoiceField(
            label="Your recommendation",
            choices=Recommendation.choices,
            widget=forms.RadioSelect,
            error_messages={"required": "Choose a recommendation", "invalid_choice": "Choose a recommendation"},
        )
        self.fields["comment"] = LongTextField(
            label="Comments (optional)",
            help_text="What the Board and the idea's owners should know: strengths, concerns, questions.",
            required=False,
            max_length=LONG_TEXT_MAX,
            rows=6,
            error_messages={"max_length": "Comments must be 5,000 characters or fewer"},
        )
        layout = [
            Field.radios(score_field_name(c), legend_size=Size.SMALL, legend_tag="h3", inline=True, small=True) for c in criteria
        ]
        layout += [Field.radios("recommendation", legend_size=Size.MEDIUM, legend_tag="h2"), Field.textarea("comment", rows=6, max_characters=LONG_TEXT_MAX)]
        self.helper = gds_helper(*layout, submit="Submit review")
        self.helper.attrs["data-form"] = "review"

    def scores(self) -> dict[int, int]:
        return {c.pk: self.cleaned_data[score_field_name(c)] for c in self.criteria}


class RankingFilterForm(ErrorLinksMixin, forms.Form):
    stage = forms.TypedMultipleChoiceField(
        label="Stage",
        required=False,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose stages from the list"},
    )

    def __init__(self, *args, stages: list[Stage], **kwargs):
        super().__init__(*args, **kwargs)
        # Plain choices, read once: a model choice field would count and then read the stages again.
        self.fields["stage"].choices = [(stage.pk, stage.name) for stage in stages]
        helper = FormHelper()
        helper.form_method = "get"
        helper.form_tag = True
        helper.attrs = {"novalidate": ""}
        helper.layout = Layout(Field.checkboxes("stage", legend_size=Size.SMALL, small=True), Submit("filter", "Apply filter"))
        self.helper = helper
        self.helper.attrs["data-form"] = "ranking_filter"

    def stage_ids(self) -> list[int]:
        if not self.is_valid():
            return []
        return self.cleaned_data["stage"]
