"""The site search (站内搜索): what the portal's page and the API's /search/ both show."""

from __future__ import annotations

from shenpi.catalog.selectors import item_search
from shenpi.consult.selectors import faq_search
from shenpi.publishing.selectors import publication_search
from shenpi.search.terms import query_terms

SEARCH_ITEMS = 10  # items shown on the site search (the guide list has them all)
SEARCH_POLICIES = 10
FAQ_PAGE = 10


def site_search(q: str, page_number=None) -> dict:
    """What the site search finds for `q`: items in force, public FAQ (paged) and
    published policies, each best first. The page and the API (shenpi.api.search) show
    the same; a query over the limit is refused (InvalidInput)."""
    terms = query_terms(q)
    if not q.strip():
        return {"terms": [], "items": [], "faqs": None, "policies": []}
    items = list(item_search(q=q).select_related("current", "department")[:SEARCH_ITEMS])
    faqs = faq_search(terms, page=page_number, per_page=FAQ_PAGE) if terms else None
    policies = list(publication_search(terms, per_page=SEARCH_POLICIES)) if terms else []
    return {"terms": terms, "items": items, "faqs": faqs, "policies": policies}
