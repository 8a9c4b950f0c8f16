"""Decode HTML bytes to text: BOM, then the declared charset, then meta tags, then detection.

Korean pages still ship as EUC-KR, usually with characters only its Microsoft superset (CP949,
"Unified Hangul Code") defines, so every EUC-KR label decodes as CP949.
"""

from __future__ import annotations

import codecs
import re

import charset_normalizer

BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Labels that name a narrower code page than what pages actually use.
SUPERSETS = {
    "euc_kr": "cp949",
    "ks_c_5601-1987": "cp949",
    "ksc5601": "cp949",
    "ks_c_5601": "cp949",
    "windows-949": "cp949",
    "x-windows-949": "cp949",
    "uhc": "cp949",
    "latin_1": "cp1252",
    "iso8859-1": "cp1252",
    "ascii": "cp1252",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "shift_jis": "cp932",
}
# Server defaults that a page's own meta tag is more likely to get right.
WEAK_DECLARATIONS = frozenset({"cp1252"})
META_SCAN_BYTES = 4096
META_TAG = re.compile(rb"<meta\b[^>]*>", re.IGNORECASE)
CHARSET_ATTR = re.compile(rb"""charset\s*=\s*["']?\s*([A-Za-z0-9_:.\-]+)""", re.IGNORECASE)
XML_DECL = re.compile(rb"""^<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9_:.\-]+)""", re.IGNORECASE)
HANGUL = re.compile(r"[\uac00-\ud7a3]")
MAX_REPLACEMENT_RATIO = 0.01


class DecodeError(ValueError):
    """The bytes could not be decoded with any declared or detected charset."""


def normalize_charset(label: str | None) -> str | None:
    """Return the Python codec name for a charset label (supersets applied), or None."""
    if not label:
        return None
    try:
        name = codecs.lookup(label.strip().strip("\"'").lower()).name
    except LookupError:
        return None
    name = SUPERSETS.get(name, name)
    return "utf-8" if name.startswith("utf-16") else name  # a byte-level meta cannot be UTF-16


def charset_from_content_type(content_type: str | None) -> str | None:
    """Return the charset parameter of a Content-Type header value, if any."""
    if not content_type:
        return None
    match = CHARSET_ATTR.search(content_type.encode("latin-1", "replace"))
    return match.group(1).decode("ascii") if match else None


def sniff_bom(body: bytes) -> str | None:
    """Return the codec named by a byte-order mark at the start of the body."""
    for bom, name in BOMS:
        if body.startswith(bom):
            return name
    return None


def sniff_meta_charset(body: bytes) -> str | None:
    """Return the charset declared by a meta tag or XML declaration near the start."""
    head = body[:META_SCAN_BYTES]
    xml = XML_DECL.match(head.lstrip())
    if xml:
        return xml.group(1).decode("ascii")
    for tag in META_TAG.finditer(head):
        match = CHARSET_ATTR.search(tag.group(0))
        if match:
            return match.group(1).decode("ascii")
    return None


def _strict(body: bytes, codec: str | None) -> str | None:
    """Decode strictly with codec; None when it fails or codec is None."""
    if not codec:
        return None
    try:
        return body.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def _looks_korean(text: str) -> bool:
    """True when most non-ASCII characters are Hangul syllables."""
    non_ascii = sum(1 for ch in text if ord(ch) > 127)
    return non_ascii > 0 and len(HANGUL.findall(text)) / non_ascii >= 0.5


def _detect(body: bytes) -> tuple[str, str] | None:
    """Guess the charset: UTF-8, then CP949 when it yields Hangul, then charset-normalizer."""
    text = _strict(body, "utf-8")
    if text is not None:
        return text, "utf-8"
    text = _strict(body, "cp949")
    if text is not None and _looks_korean(text):
        return text, "cp949"
    best = charset_normalizer.from_bytes(body).best()
    if best is None:
        return None
    codec = normalize_charset(best.encoding) or best.encoding
    text = _strict(body, codec)
    return (text, codec) if text is not None else None


def _lenient(body: bytes, codecs_to_try: list[str]) -> tuple[str, str] | None:
    """Decode with replacement when only a few bytes are bad (a stray byte in a real page)."""
    for codec in codecs_to_try:
        text = body.decode(codec, errors="replace")
        if text.count("\ufffd") <= max(1, len(text) * MAX_REPLACEMENT_RATIO):
            return text, codec
    return None


def decode_html(body: bytes, declared: str | None = None) -> tuple[str, str]:
    """Decode HTML bytes; return (text, codec name) or raise DecodeError."""
    bom = sniff_bom(body)
    if bom:
        text = _strict(body, bom)
        if text is not None:
            return text, "utf-8" if bom == "utf-8-sig" else bom
    header = normalize_charset(declared)
    meta = normalize_charset(sniff_meta_charset(body))
    order = [header, meta] if header not in WEAK_DECLARATIONS or not meta else [meta, header]
    candidates = [c for c in dict.fromkeys(order) if c]
    for codec in candidates:
        text = _strict(body, codec)
        if text is not None:
            return text, codec
    detected = _detect(body)
    if detected:
        return detected
    fallback = _lenient(body, candidates + ["utf-8", "cp949"])
    if fallback:
        return fallback
    raise DecodeError(f"no charset decodes these {len(body)} bytes (declared {declared!r})")
