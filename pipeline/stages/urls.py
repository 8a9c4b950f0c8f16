"""URL canonicalization and address safety: which URLs are the same page, which we may fetch."""

from __future__ import annotations

import ipaddress
import re
import socket
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

from courlan.clean import scrub_url

FETCHABLE_SCHEMES = frozenset({"http", "https"})
DEFAULT_PORTS = {"http": 80, "https": 443}
MOBILE_PREFIXES = ("m.", "mobile.")
# Query parameters that only track the visit, never select the content.
TRACKING_PARAM = re.compile(
    r"^(?:utm_\w+|fbclid|gclid|gclsrc|dclid|gbraid|wbraid|msclkid|yclid|twclid|igshid|"
    r"mc_cid|mc_eid|_ga|_gl|_hsenc|_hsmi|mkt_tok|ref_src|spm|cmpid|ncid|"
    r"n_media|n_query|n_rank|n_ad_group|n_ad|n_keyword|n_campaign_type|nclick_id)$",
    re.IGNORECASE,
)
PATH_SAFE = "/%:@!$&'()*+,;=-._~"
QUERY_SAFE = PATH_SAFE + "?"
PERCENT_HEX = re.compile(r"%[0-9a-f]{2}")
# Cloud instance metadata endpoints: never fetched, whatever allow_private says.
METADATA_ADDRESSES = frozenset(
    ipaddress.ip_address(a)
    for a in ("169.254.169.254", "169.254.170.2", "fd00:ec2::254", "100.100.100.200")
)
NEVER_ALLOWED_NETWORKS = (
    ipaddress.ip_network("169.254.0.0/16"),
    ipaddress.ip_network("fe80::/10"),
)


def _upper_escapes(text: str) -> str:
    """Upper-case percent escapes (%ea → %EA) so equal URLs compare equal."""
    return PERCENT_HEX.sub(lambda m: m.group(0).upper(), text)


def _canonical_host(host: str) -> str:
    """Lower-case the host, drop a trailing dot and map mobile hosts to the desktop host."""
    host = host.lower().rstrip(".")
    for prefix in MOBILE_PREFIXES:
        if host.startswith(prefix) and host.count(".") >= 2:
            return host[len(prefix) :]
    return host


def _canonical_query(query: str) -> str:
    """Drop tracking parameters and sort the rest."""
    ascii_query = quote(query, safe=QUERY_SAFE + "=&")  # raw Hangul → UTF-8 escapes
    pairs = parse_qsl(ascii_query, keep_blank_values=True, encoding="latin-1")  # bytes kept as-is
    kept = sorted((k, v) for k, v in pairs if not TRACKING_PARAM.match(k))
    return urlencode(kept, quote_via=quote, safe="/:@!$'()*,;-._~", encoding="latin-1")


def canonicalize(url: str) -> str:
    """Return the canonical form of a URL: the key under which one page is stored once."""
    url = scrub_url(url)
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in FETCHABLE_SCHEMES:
        return url
    host = _canonical_host(parts.hostname or "")
    if ":" in host:
        host = f"[{host}]"
    try:
        port = parts.port
    except ValueError:
        port = None
    netloc = host if port in (None, DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    path = _upper_escapes(quote(parts.path or "/", safe=PATH_SAFE))
    path = re.sub(r"/{2,}", "/", path)
    query = _canonical_query(parts.query)
    return urlunsplit((scheme, netloc, path, query, ""))


def _refusal(ip: ipaddress.IPv4Address | ipaddress.IPv6Address, allow_private: bool) -> str | None:
    """Return 'private_address' when this address may not be fetched, else None."""
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    if ip in METADATA_ADDRESSES or any(ip in net for net in NEVER_ALLOWED_NETWORKS):
        return "private_address"
    if ip.is_multicast or ip.is_unspecified or ip.is_link_local:
        return "private_address"
    if ip.is_global:
        return None
    if allow_private and (ip.is_private or ip.is_loopback):
        return None
    return "private_address"


def resolve_address(url: str, allow_private: bool = False) -> tuple[str | None, str | None]:
    """Resolve a URL's host; return (reason, None) when refused or (None, ip) when allowed."""
    parts = urlsplit(url)
    if parts.scheme.lower() not in FETCHABLE_SCHEMES or not parts.hostname:
        return "bad_scheme", None
    try:
        port = parts.port or DEFAULT_PORTS[parts.scheme.lower()]
        infos = socket.getaddrinfo(parts.hostname, port, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError, ValueError, OSError):
        return "connection_error", None
    addresses = [ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos]
    for ip in addresses:  # every address must pass: DNS may hand out any of them
        reason = _refusal(ip, allow_private)
        if reason:
            return reason, None
    addresses.sort(key=lambda ip: ip.version)  # IPv4 first: loopback servers often bind only it
    return None, str(addresses[0])


def check_address(url: str, allow_private: bool = False) -> str | None:
    """Return a REASONS code when the URL may not be fetched (scheme or address), else None."""
    reason, _ = resolve_address(url, allow_private)
    return reason
