
"""Delivery records in Django admin, for admins to correct a mistake; API tokens, for admins to change an expiry."""

from django import forms
from django.contrib import admin

from .models import ApiToken, BenefitRecord, DeliveryUpdate


@admin.register(DeliveryUpdate)
class DeliveryUpdateAdmin(admin.ModelAdmin):
    list_display = ["idea", "status", "percent_complete", "by", "at"]
    list_filter = ["status"]
    list_select_related = ["idea", "by"]
    raw_id_fields = ["idea", "by"]
    search_fields = ["idea__title", "narrative"]
    date_hierarchy = "at"


@admin.register(BenefitRecord)
class BenefitRecordAdmin(admin.ModelAdmin):
    list_display = ["idea", "period", "cash_realised", "by", "at"]
    list_select_related = ["idea", "by"]
    raw_id_fields = ["idea", "by"]
    search_fields = ["idea__title", "other_benefits"]
    date_hierarchy = "period"


class ApiTokenAdminForm(forms.ModelForm):
    """``created_at`` is read-only here, so the model's own check would skip the expiry rule: check it."""

    class Meta:
        model = ApiToken
        fields = ["expires_at"]

    def clean_expires_at(self):
        expires_at = self.cleaned_data.get("expires_at")
        if expires_at and self.instance.created_at and expires_at <= self.instance.created_at:
            raise forms.ValidationError(
                f"A token must expire after it was made ({self.instance.created_at:%-d %B %Y %H:%M}).")
        return expires_at


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Admins see every token and may change when one expires; they never see a secret.

    Tokens are made and revoked on the service's own API tokens page, where the secret can be shown once.
    """

    list_display = ["user", "name", "hint", "created_at", "expires_at", "last_used_at", "revoked_at"]
    list_select_related = ["user"]
    search_fields = ["user__email", "user__full_name", "name"]
    fields = ["user", "name", "hint", "created_at", "created_by", "expires_at", "last_used_at", "revoked_at", "revoked_by"]
    readonly_fields = [f for f in fields if f != "expires_at"]
    form = ApiTokenAdminForm

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
