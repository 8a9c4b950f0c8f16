"""Article bodies and metadata kept in a page's script data: JSON-LD, Next.js props and flight
chunks, Arc XP's Fusion.globalContent. The fallback when trafilatura finds only a stub."""

from __future__ import annotations

import html as htmllib
import json
import re
from collections.abc import Iterator
from typing import Any

from lxml.html import HtmlElement

BODY_KEYS = ("articleBody", "body", "content", "contentHtml", "bodyHtml", "html")
# Keys of a script-data article object (Next.js props, Arc XP globalContent).
PUBLISHED_KEYS = ("publishedAt", "datePublished", "published", "first_publish_date", "display_date", "createdAt", "pubDate")
UPDATED_KEYS = ("updatedAt", "dateModified", "modifiedAt", "last_updated_date", "updated")
AUTHOR_KEYS = ("author", "authors", "byline", "writer", "reporter", "reporters")
EMAIL_KEYS = ("authorEmail", "email", "reporterEmail")
FLIGHT_PUSH = re.compile(r"self\.__next_f\.push\(\s*")
FLIGHT_FIELD = re.compile(r'"(?:articleBody|body|content)"\s*:\s*"((?:[^"\\]|\\.){40,})"')
FUSION = re.compile(r"Fusion\.globalContent\s*=\s*")
BLOCK_END = re.compile(r"(?i)<\s*(?:br\s*/?|/p|/div|/h[1-6]|/li|/blockquote)\s*>")
ANY_TAG = re.compile(r"<[^>]+>")


def html_to_text(fragment: str) -> str:
    """Strip tags from an HTML string, keeping block breaks as newlines."""
    if "<" not in fragment:
        text = htmllib.unescape(fragment)
    else:
        text = htmllib.unescape(ANY_TAG.sub("", BLOCK_END.sub("\n", fragment)))
    lines = (" ".join(line.split()) for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def walk_json(node: Any, key: str | None = None) -> Iterator[tuple[str | None, Any]]:
    """Yield every (key, value) pair of a JSON tree, depth first."""
    yield key, node
    if isinstance(node, dict):
        for k, v in node.items():
            yield from walk_json(v, k)
    elif isinstance(node, list):
        for v in node:
            yield from walk_json(v, key)


def script_texts(tree: HtmlElement, xpath: str) -> list[str]:
    """Texts of the script elements the XPath selects."""
    return [s.text or "" for s in tree.xpath(xpath)]


def json_ld_objects(tree: HtmlElement) -> list[dict]:
    """All JSON-LD objects of the page, @graph members included."""
    found: list[dict] = []
    for raw in script_texts(tree, '//script[@type="application/ld+json"]'):
        try:
            data = json.loads(raw.strip().rstrip(";"))
        except ValueError:
            continue
        found.extend(v for _, v in walk_json(data) if isinstance(v, dict) and "@type" in v)
    return found


def json_ld_article(objects: list[dict]) -> dict:
    """The JSON-LD object that describes the article (the one with a body or headline)."""
    for obj in objects:
        if obj.get("articleBody"):
            return obj
    for obj in objects:
        kind = obj.get("@type")
        kinds = kind if isinstance(kind, list) else [kind]
        if any(str(k).endswith(("Article", "Posting", "Report")) for k in kinds):
            return obj
    return {}


def body_from_json_ld(article: dict) -> str:
    """JSON-LD articleBody as text."""
    body = article.get("articleBody")
    return html_to_text(body) if isinstance(body, str) else ""


def body_object(data: Any) -> tuple[dict, str]:
    """The JSON object holding the longest string under a body-like key, and that string."""
    best_obj: dict = {}
    best = ""
    for _, obj in walk_json(data):
        if not isinstance(obj, dict):
            continue
        for key in BODY_KEYS:
            value = obj.get(key)
            if isinstance(value, str) and len(value) > len(best):
                best_obj, best = obj, value
    return best_obj, best


def longest_body_string(data: Any) -> str:
    """The longest string stored under a body-like key anywhere in a JSON tree, as text."""
    _, best = body_object(data)
    return html_to_text(best) if best else ""


def next_data(tree: HtmlElement) -> Any:
    """The parsed __NEXT_DATA__ JSON, or None."""
    for raw in script_texts(tree, '//script[@id="__NEXT_DATA__"]'):
        try:
            return json.loads(raw)
        except ValueError:
            continue
    return None


def body_from_next_data(tree: HtmlElement) -> str:
    """Body text from Next.js __NEXT_DATA__ (pages router)."""
    data = next_data(tree)
    return longest_body_string(data) if data is not None else ""


def script_metadata(obj: dict) -> dict:
    """Dates, authors, e-mails and captions stored beside a body in script data."""
    dates = [("meta_published", obj[k]) for k in PUBLISHED_KEYS if isinstance(obj.get(k), str)]
    dates += [("meta_updated", obj[k]) for k in UPDATED_KEYS if isinstance(obj.get(k), str)]
    authors = [n for k in AUTHOR_KEYS for n in ld_names(obj.get(k))]
    credits = obj.get("credits")
    if isinstance(credits, dict):
        authors += ld_names(credits.get("by"))
    emails = [obj[k] for k in EMAIL_KEYS if isinstance(obj.get(k), str)]
    captions = [
        v for key, v in walk_json(obj.get("images") or obj.get("promo_items") or [])
        if key in ("caption", "subtitle") and isinstance(v, str)
    ]
    subtitle = obj.get("subtitle") if isinstance(obj.get("subtitle"), str) else None
    return {"dates": dates, "authors": authors, "emails": emails, "captions": captions, "subtitle": subtitle}


def body_from_flight(tree: HtmlElement) -> str:
    """Body text from Next.js flight data (self.__next_f.push chunks, app router)."""
    chunks: list[str] = []
    for raw in script_texts(tree, '//script[contains(text(),"self.__next_f.push")]'):
        for m in FLIGHT_PUSH.finditer(raw):
            try:
                data, _ = json.JSONDecoder().raw_decode(raw, m.end())
            except ValueError:
                continue
            if isinstance(data, list):
                chunks.extend(x for x in data if isinstance(x, str))
    payload = "".join(chunks)
    best = ""
    for m in FLIGHT_FIELD.finditer(payload):
        try:
            value = json.loads(f'"{m.group(1)}"')
        except ValueError:
            continue
        if len(value) > len(best):
            best = value
    return html_to_text(best) if best else ""


def fusion_content(tree: HtmlElement) -> dict | None:
    """The parsed Arc XP Fusion.globalContent object, or None."""
    for raw in script_texts(tree, '//script[contains(text(),"Fusion.globalContent")]'):
        m = FUSION.search(raw)
        if not m:
            continue
        try:
            data, _ = json.JSONDecoder().raw_decode(raw[m.end():])
        except ValueError:
            continue
        if isinstance(data, dict):
            return data
    return None


def body_from_fusion(tree: HtmlElement) -> str:
    """Body text from Arc XP Fusion.globalContent content_elements."""
    data = fusion_content(tree) or {}
    parts = [
        html_to_text(el.get("content", ""))
        for el in data.get("content_elements", [])
        if isinstance(el, dict) and el.get("type") in ("text", "header", "raw_html")
    ]
    return "\n".join(p for p in parts if p)


def script_hints(tree: HtmlElement) -> dict:
    """Metadata stored beside the body in Next.js or Arc XP script data."""
    data = next_data(tree)
    if data is not None:
        obj, _ = body_object(data)
        if obj:
            return script_metadata(obj)
    fusion = fusion_content(tree)
    return script_metadata(fusion) if fusion else {}


def ld_names(value: Any) -> list[str]:
    """Names out of a JSON-LD author/publisher value (str, dict or list)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return ld_names(value.get("name"))
    if isinstance(value, list):
        return [n for v in value for n in ld_names(v)]
    return []

