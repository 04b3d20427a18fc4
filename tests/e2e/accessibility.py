"""axe-core (from npm, run in the page) on the pages the journeys open: no critical or
serious violation of WCAG 2.1 A/AA, and a level-one heading on every page (issue 28). Each page is checked once per session and
screen class (desktop, phone), keyed by its route with ids and numbers taken out."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = ("critical", "serious")
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
RUN = """async ([tags, blocking]) => {
  const result = await axe.run(document, {runOnly: {type: "tag", values: tags},
                                          resultTypes: ["violations"]});
  return result.violations.filter(v => blocking.includes(v.impact)).map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 3).map(n => n.target.join(" ") + " " + (n.failureSummary || "")
                                   .split("\\n").slice(1, 2).join("").slice(0, 90))}));
}"""
_ID = re.compile(
    r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9A-Fa-f]{16}|\d+", re.I
)
# Violations inside third-party widgets the platform serves as they are, with the reason.
EXEMPT = {
    # Swagger UI (drf-spectacular's sidecar) puts the "copy path" button inside each
    # operation's summary button; the page is the developers' reference, its text is also
    # in the schema file itself (/api/v1/schema/).
    ("/api/v{}/docs/", "nested-interactive"),
}
_source: str | None = None
audited: set[tuple[str, bool]] = set()


def route_of(url: str) -> str:
    """/cases/3f2…/notices/7/?tab=open → /cases/{}/notices/{}/?tab"""
    parts = urlsplit(url)
    keys = sorted({k for k, _ in parse_qsl(parts.query)})
    return _ID.sub("{}", parts.path) + ("?" + "&".join(keys) if keys else "")


def phone(page) -> bool:
    size = page.viewport_size or {"width": 1280}
    return size["width"] < 600


def due(page) -> bool:
    """Whether this page's route has not been checked yet at this screen class."""
    return (route_of(page.url), phone(page)) not in audited


def audit(page) -> list[str]:
    """The page as it stands now: its blocking violations, one line each."""
    global _source
    key = (route_of(page.url), phone(page))
    audited.add(key)
    if _source is None:
        _source = AXE.read_text()
    # Evaluated through the DevTools protocol, so the Content-Security-Policy that forbids
    # inline script does not apply to it (it does to the pages' own scripts).
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(_source)
    found = [
        v for v in page.evaluate(RUN, [TAGS, list(BLOCKING)]) if (key[0], v["id"]) not in EXEMPT
    ]
    if not page.evaluate("() => !!document.querySelector('h1')"):
        # axe counts a page without a main heading as moderate; the platform asks for one.
        found.append({"impact": "serious", "id": "page-has-heading-one", "nodes": [],
                      "help": "Page should contain a level-one heading"})  # fmt: skip
    where = f"{key[0]} ({'phone' if key[1] else 'desktop'})"
    return [
        f"{where}: [{v['impact']}] {v['id']} {v['help']} — {'; '.join(v['nodes'])}" for v in found
    ]
