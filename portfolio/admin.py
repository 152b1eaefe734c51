"""Delivery records in Django admin, for admins to correct a mistake. API tokens use DRF's own admin."""

from django.contrib import admin

from .models import BenefitRecord, DeliveryUpdate


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
