"""A page of a long list without counting it: the rows of the page and whether there is a
next one (one row more is read). Counting a busy department's open steps means reading
all of them, where the page reads fifty-one; a work queue needs no total."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class SlicePage:
    rows: list
    number: int
    has_next: bool

    def __iter__(self):
        return iter(self.rows)

    def __len__(self):
        return len(self.rows)

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_other_pages(self) -> bool:
        return self.has_previous or self.has_next

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1


def page_number(value) -> int:
    """A page number from a query string: anything but a positive whole number is page 1."""
    try:
        number = int(str(value))
    except (TypeError, ValueError):
        return 1
    return max(1, min(number, 10_000))


def slice_page(queryset, page, per_page: int) -> SlicePage:
    number = page_number(page)
    start = (number - 1) * per_page
    rows = list(queryset[start : start + per_page + 1])
    return SlicePage(rows=rows[:per_page], number=number, has_next=len(rows) > per_page)
