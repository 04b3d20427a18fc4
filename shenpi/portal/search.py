"""The site search (站内搜索): what the portal's page and the API's /search/ both show."""

from __future__ import annotations

from django.core.paginator import Paginator

from shenpi.catalog.selectors import item_search
from shenpi.consult.models import Faq
from shenpi.consult.selectors import faq_search
from shenpi.publishing.selectors import publication_search
from shenpi.search.terms import query_terms

SEARCH_ITEMS = 10  # items shown on the site search (the guide list has them all)
SEARCH_POLICIES = 10


def site_search(q: str, page_number=None) -> dict:
    """What the site search finds for `q`: items in force, public FAQ (paged) and
    published policies, each best first. The page and the API (shenpi.api.search) show
    the same; a query over the limit is refused (InvalidInput)."""
    terms = query_terms(q)
    if not terms and not q.strip():
        return {"terms": [], "items": [], "faqs": None, "policies": []}
    items = list(item_search(q=q).select_related("current", "department")[:SEARCH_ITEMS])
    faqs = Paginator(faq_search(terms) if terms else Faq.objects.none(), 10).get_page(page_number)
    policies = list(publication_search(terms)[:SEARCH_POLICIES]) if terms else []
    return {"terms": terms, "items": items, "faqs": faqs, "policies": policies}
