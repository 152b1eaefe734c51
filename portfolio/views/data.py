"""Data outputs: the register, what each department could receive, and the flows between departments."""

from __future__ import annotations

from django.shortcuts import get_object_or_404, render
from django.urls import path
from django.views.decorators.http import require_safe

from harrow_innovation.people.models import Department

from .. import selectors
from ..forms import DataOutputFilterForm, department_choices
from ..permissions import can_view_data_register
from ..selectors import coming
from .common import paginate, require


@require_safe
def register(request):
    require(can_view_data_register(request.user))
    departments = department_choices()
    form = DataOutputFilterForm(request.GET or None, departments=departments)
    if form.is_bound:
        form.is_valid()
    values = form.values()
    page = paginate(request, selectors.data_outputs(user=request.user, **values),
                    count=selectors.data_output_count(user=request.user, **values))
    return render(request, "portfolio/data_register.html", {
        "form": form, "page_obj": page, "filtered": any(values.values()),
        "departments": departments,
    })


@require_safe
def department_data(request, slug: str):
    require(can_view_data_register(request.user))
    department = get_object_or_404(Department, slug=slug)
    sources = selectors.data_sources_for_department(user=request.user, department=department)
    page = paginate(request, selectors.data_for_department(user=request.user, department=department))
    return render(request, "portfolio/data_department.html", {
        "department": department, "sources": sources, "page_obj": page, **_coming(request.user, department),
    })


@require_safe
def matrix(request):
    require(can_view_data_register(request.user))
    flows = selectors.data_flow_matrix(user=request.user)
    return render(request, "portfolio/data_matrix.html", {
        "flows": flows, "rows": flows.rows(), "column_totals": flows.column_totals(),
    })


def _coming(user, department) -> dict:
    """The "data coming your way" section (templates/portfolio/includes/data_coming.html)."""
    return {
        "coming": coming.data_coming_to_department(user=user, department=department),
        "coming_shown": coming.COMING_SHOWN,
        "data_contacts": coming.data_contacts(department=department),
    }


urlpatterns = [
    path("data/", register, name="data_outputs"),
    path("data/matrix/", matrix, name="data_matrix"),
    path("data/departments/<slug:slug>/", department_data, name="department_data"),
]
