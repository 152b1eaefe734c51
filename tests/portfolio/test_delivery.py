"""Owners record delivery progress and realised benefits; bad input changes nothing and says why."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from ideas.models import EventKind, IdeaEvent
from portfolio import services
from portfolio.models import BenefitRecord, DeliveryUpdate
from tests.portfolio.builders import D, idea

pytestmark = pytest.mark.django_db


@pytest.fixture
def delivering(people):
    return idea(people["officer"], "in-delivery", title="Online repairs", savings="1200", one_off="500")


def _update_url(i):
    return reverse("portfolio:delivery_update_add", kwargs={"pk": i.pk})


def _benefit_url(i):
    return reverse("portfolio:benefit_add", kwargs={"pk": i.pk})


def test_owner_reports_progress_and_it_reaches_the_timeline(client, people, delivering):
    client.force_login(people["officer"])
    response = client.post(_update_url(delivering), {"status": "at_risk", "percent_complete": "35",
                                                     "narrative": "Supplier late with the forms."})
    assert response.status_code == 302
    assert response["Location"] == reverse("portfolio:delivery_idea", kwargs={"pk": delivering.pk})
    update = DeliveryUpdate.objects.get(idea=delivering)
    assert (update.status, update.percent_complete, update.by) == ("at_risk", 35, people["officer"])
    event = IdeaEvent.objects.get(idea=delivering, kind=EventKind.DELIVERY)
    assert "35% complete" in event.summary
    page = client.get(reverse("portfolio:delivery_idea", kwargs={"pk": delivering.pk}))
    assert "Supplier late with the forms." in page.content.decode()


@pytest.mark.parametrize("data, message", [
    ({"status": "on_track", "percent_complete": "150", "narrative": "x"}, "Percent complete must be 100 or less"),
    ({"status": "on_track", "percent_complete": "-1", "narrative": "x"}, "Percent complete must be 0 or more"),
    ({"status": "on_track", "percent_complete": "forty", "narrative": "x"}, "must be a whole number"),
    ({"status": "complete", "percent_complete": "50", "narrative": "x"}, "must be 100% complete"),
    ({"status": "on_track", "percent_complete": "10", "narrative": "   "}, "Describe progress since the last update"),
    ({"status": "sideways", "percent_complete": "10", "narrative": "x"}, "Choose how delivery is going"),
])
def test_bad_progress_report_shows_errors_and_saves_nothing(client, people, delivering, data, message):
    client.force_login(people["officer"])
    response = client.post(_update_url(delivering), data)
    body = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in body
    assert message in body
    assert "<title>Error: " in body
    assert not DeliveryUpdate.objects.exists()


def test_progress_form_keeps_what_was_typed(client, people, delivering):
    client.force_login(people["officer"])
    response = client.post(_update_url(delivering), {"status": "on_track", "percent_complete": "150",
                                                     "narrative": "Kept text"})
    assert "Kept text" in response.content.decode()
    assert 'value="150"' in response.content.decode()


def test_only_owners_report_and_only_on_approved_ideas(client, people, delivering):
    for role in ("secretary", "board_member", "officer_other", "admin"):
        client.force_login(people[role])
        assert client.post(_update_url(delivering), {"status": "on_track", "percent_complete": "1",
                                                     "narrative": "x"}).status_code == 403
    waiting = idea(people["officer"], "ready-for-board", title="Not approved yet")
    client.force_login(people["officer"])
    assert client.get(_update_url(waiting)).status_code == 403
    assert client.get(_benefit_url(waiting)).status_code == 403
    assert not DeliveryUpdate.objects.exists()


def test_someone_who_may_not_see_the_idea_gets_404(client, people):
    secret = idea(people["officer"], "in-delivery", title="Secret delivery", is_confidential=True)
    client.force_login(people["officer_other"])
    assert client.get(reverse("portfolio:delivery_idea", kwargs={"pk": secret.pk})).status_code == 404
    assert client.get(_update_url(secret)).status_code == 404
    client.force_login(people["board_member"])
    assert client.get(reverse("portfolio:delivery_idea", kwargs={"pk": secret.pk})).status_code == 200


def test_owner_records_benefits(client, people, delivering):
    client.force_login(people["officer"])
    day = timezone.localdate() - timedelta(days=3)
    response = client.post(_benefit_url(delivering), {
        "period_day": day.day, "period_month": day.month, "period_year": day.year,
        "cash_realised": "1500.50", "other_benefits": "Fewer repeat calls.",
    })
    assert response.status_code == 302
    record = BenefitRecord.objects.get(idea=delivering)
    assert (record.period, record.cash_realised, record.other_benefits) == (day, D("1500.50"), "Fewer repeat calls.")
    page = client.get(reverse("portfolio:delivery_idea", kwargs={"pk": delivering.pk})).content.decode()
    assert "£1,500.50" in page


@pytest.mark.parametrize("data, message", [
    ({"period_day": "31", "period_month": "2", "period_year": "2025", "cash_realised": "10"}, "must be a real date"),
    ({"period_day": "1", "period_month": "1", "period_year": "25", "cash_realised": "10"}, "must include 4 numbers"),
    ({"period_day": "", "period_month": "", "period_year": "", "cash_realised": "10"}, "Enter the date the benefit"),
    ({"period_day": "1", "period_month": "1", "period_year": "2999", "cash_realised": "10"}, "today or in the past"),
    ({"period_day": "1", "period_month": "1", "period_year": "2025", "cash_realised": "-5"}, "£0 or more"),
    ({"period_day": "1", "period_month": "1", "period_year": "2025", "cash_realised": "1e12"}, "£100,000,000 or less"),
    ({"period_day": "1", "period_month": "1", "period_year": "2025", "cash_realised": "lots"}, "an amount in pounds"),
    ({"period_day": "1", "period_month": "1", "period_year": "2025", "cash_realised": "0"}, "Describe the other benefits"),
])
def test_bad_benefit_record_shows_errors_and_saves_nothing(client, people, delivering, data, message):
    client.force_login(people["officer"])
    response = client.post(_benefit_url(delivering), data)
    body = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in body
    assert message in body
    assert not BenefitRecord.objects.exists()


def test_closed_idea_takes_benefits_but_no_more_progress(people):
    done = idea(people["officer"], "delivered", title="Delivered")
    with pytest.raises(services.PortfolioError):
        services.delivery_update_record(idea_id=done.pk, by=people["officer"], status="on_track", percent_complete=100,
                                        narrative="x")
    record = services.benefit_record_add(idea_id=done.pk, by=people["officer"], period=timezone.localdate(),
                                         cash_realised=D("10"))
    assert record.pk


def test_service_rechecks_the_stage_it_finds(people):
    """A form opened while the idea was approved, submitted after it moved on, changes nothing."""
    moved = idea(people["officer"], "rejected", title="Moved on")
    with pytest.raises(services.PortfolioError, match="Nothing was saved"):
        services.delivery_update_record(idea_id=moved.pk, by=people["officer"], status="on_track",
                                        percent_complete=5, narrative="x")
    with pytest.raises(services.PortfolioError, match="Nothing was saved"):
        services.benefit_record_add(idea_id=moved.pk, by=people["officer"], period=timezone.localdate(),
                                    cash_realised=D("1"))
    assert not DeliveryUpdate.objects.exists() and not BenefitRecord.objects.exists()


def test_database_refuses_impossible_records(people, delivering):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        DeliveryUpdate.objects.create(idea=delivering, status="on_track", percent_complete=101, narrative="x",
                                      by=people["officer"])
    with pytest.raises(IntegrityError), transaction.atomic():
        DeliveryUpdate.objects.create(idea=delivering, status="complete", percent_complete=90, narrative="x",
                                      by=people["officer"])
    with pytest.raises(IntegrityError), transaction.atomic():
        BenefitRecord.objects.create(idea=delivering, period=timezone.localdate(), cash_realised=D("-1"),
                                     by=people["officer"])


def test_my_delivery_lists_only_my_approved_ideas(client, people, delivering):
    idea(people["officer"], "triage", title="Still in triage")
    idea(people["officer_other"], "approved", title="Someone else's")
    client.force_login(people["officer"])
    body = client.get(reverse("portfolio:my_delivery")).content.decode()
    assert "Online repairs" in body
    assert "Still in triage" not in body and "Someone else" not in body


def test_delivery_page_flags_stalled_delivery(client, people, settings):
    settings.PORTFOLIO_STALLED_DAYS = 30
    idea(people["officer"], "in-delivery", title="Forgotten", stage_entered_at=timezone.now() - timedelta(days=45))
    client.force_login(people["board_member"])
    body = client.get(reverse("portfolio:delivery") + "?show=stalled").content.decode()
    assert "Forgotten" in body
    assert "Stalled" in body
