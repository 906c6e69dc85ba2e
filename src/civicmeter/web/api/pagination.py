"""Page-numbered lists: ``?page=2&page_size=200`` (at most 1,000 rows a page).

Stricter than DRF's default, which silently ignores a page size it cannot use: a client asking for
``page_size=0`` or ``5000`` gets a 400 saying what is allowed, not a page it did not ask for.
"""

from rest_framework import pagination
from rest_framework.exceptions import ValidationError


class PageNumberPagination(pagination.PageNumberPagination):
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 1000

    def get_page_size(self, request):
        value = request.query_params.get(self.page_size_query_param)
        if not value:  # absent or empty: the default
            return self.page_size
        if not value.isdigit() or not 1 <= int(value) <= self.max_page_size:
            raise ValidationError({"page_size": f"a whole number from 1 to {self.max_page_size}"})
        return int(value)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"].update(minimum=1, maximum=self.max_page_size)
            if parameter["name"] == self.page_query_param:
                parameter["schema"].update(minimum=1)
        return parameters
