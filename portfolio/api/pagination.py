"""Page-number pagination that answers a bad page with a 400, not a 404."""

from __future__ import annotations

from django.core.paginator import Paginator
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination

MAX_PAGE_SIZE = 200
MAX_DIGITS = 9
PAGING_PARAMETERS = {"page", "page_size", "format"}


class CountedPaginator(Paginator):
    """A paginator told its total (from a kept tally) instead of counting the queryset."""

    def __init__(self, object_list, per_page, *, count: int):
        super().__init__(object_list, per_page)
        self.__dict__["count"] = count  # fills the cached_property Paginator.count


def _positive(name: str, raw: str, *, cap: int | None = None) -> int:
    if not raw.isdigit() or len(raw) > MAX_DIGITS or int(raw) < 1:
        raise ValidationError({name: [f"Enter a whole number of 1 or more{f' and at most {cap}' if cap else ''}."]})
    value = int(raw)
    if cap and value > cap:
        raise ValidationError({name: [f"Enter a whole number of at most {cap}."]})
    return value


class StrictPageNumberPagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
    count_capped = False  # set by a view whose total was counted only up to a cap (a search: ideas/capped.py)

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        response.data["count_capped"] = self.count_capped
        return response

    def get_paginated_response_schema(self, schema):
        schema = super().get_paginated_response_schema(schema)
        schema["properties"]["count"]["description"] = (
            "How many results there are. For a search (q), counted only up to SEARCH_COUNT_CAP "
            "(1,000 by default, or further when a later page is asked for): see count_capped.")
        schema["properties"]["count_capped"] = {
            "type": "boolean", "example": False,
            "description": "True when there are more results than count says (a search counted up to its cap); "
                           "follow next until it is null to read them all."}
        schema["required"] = [*schema.get("required", []), "count_capped"]
        return schema

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        return _positive(self.page_size_query_param, raw, cap=self.max_page_size)

    def get_page_number(self, request, paginator):
        raw = request.query_params.get(self.page_query_param)
        if raw is None or raw in self.last_page_strings:
            return paginator.num_pages if raw else 1
        number = _positive(self.page_query_param, raw)
        if number > max(paginator.num_pages, 1):
            raise ValidationError({self.page_query_param: [f"There are {paginator.num_pages} pages; page {number} is out of range."]})
        return number
