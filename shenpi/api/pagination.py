import base64
import binascii
import uuid
from datetime import date

from rest_framework.exceptions import NotFound
from rest_framework.pagination import CursorPagination as DrfCursorPagination
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param


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


class KeysetPagination(CursorPagination):
    """Pages of a list read by hand-written SQL, ordered by (due date, id): the cursor holds
    the key of the row the page starts after (n) or ends before (p). In the schema it is
    the other lists' cursor (this class is one); only the view's `list` uses the methods
    below, instead of filtering a queryset."""

    ordering = ("due_date", "id")
    invalid_cursor_message = "分页游标无效。"

    def key_from(self, request) -> tuple[str, tuple | None]:
        """("n", key) for the rows after the key, ("p", key) for those before; ("n", None):
        the first page."""
        encoded = request.query_params.get(self.cursor_query_param)
        if not encoded:
            return "n", None
        try:
            text = base64.urlsafe_b64decode(encoded.encode("ascii")).decode("ascii")
            direction, day, pk = text.split("|")
            if direction not in ("n", "p"):
                raise ValueError(direction)
            return direction, (date.fromisoformat(day), uuid.UUID(pk))
        except (ValueError, UnicodeError, binascii.Error):
            raise NotFound(self.invalid_cursor_message) from None

    def _link(self, request, direction: str, key: tuple) -> str:
        text = f"{direction}|{key[0].isoformat()}|{key[1]}"
        cursor = base64.urlsafe_b64encode(text.encode("ascii")).decode("ascii")
        return replace_query_param(request.build_absolute_uri(), self.cursor_query_param, cursor)

    def respond(self, request, direction: str, key, rows: list[dict], more: bool, data: list):
        """The page as the other lists answer it: {next, previous, results}. `more`: rows lie
        beyond this page in the direction it was read."""
        first = (rows[0]["due_date"], rows[0]["id"]) if rows else key
        last = (rows[-1]["due_date"], rows[-1]["id"]) if rows else key
        if direction == "n":
            after = self._link(request, "n", last) if more else None
            before = self._link(request, "p", first) if key is not None else None
        else:
            after = self._link(request, "n", last)
            before = self._link(request, "p", first) if more else None
        return Response({"next": after, "previous": before, "results": data})
