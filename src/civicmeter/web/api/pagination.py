"""Page-numbered lists: ``?page=2&page_size=200`` (at most 1,000 rows a page)."""

from rest_framework import pagination


class PageNumberPagination(pagination.PageNumberPagination):
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 1000
