from rest_framework.pagination import CursorPagination as DrfCursorPagination


class CursorPagination(DrfCursorPagination):
    """Lists are paginated with cursors (CONTRACTS.md): stable and flat in cost."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    ordering = "pk"


class CodeCursorPagination(CursorPagination):
    ordering = "code"


class PublishedCursorPagination(CursorPagination):
    ordering = "-published_at"
