"""canonicalize and check_address: one key per page, and no fetches of internal addresses."""

from __future__ import annotations

import socket

import pytest

from pipeline.stages import urls
from pipeline.stages.urls import canonicalize, check_address


@pytest.mark.parametrize(
    ("raw", "canonical"),
    [
        (
            "https://www.yna.co.kr/view/AKR1?utm_source=naver&utm_medium=rss",
            "https://www.yna.co.kr/view/AKR1",
        ),
        ("https://news.kr/a?fbclid=XYZ&gclid=1&idxno=7", "https://news.kr/a?idxno=7"),
        ("https://news.kr/a#comments", "https://news.kr/a"),
        ("HTTPS://News.KR:443/a", "https://news.kr/a"),
        ("http://news.kr:80", "http://news.kr/"),
        ("http://news.kr:8080/a", "http://news.kr:8080/a"),
        ("https://m.news.kr/a", "https://news.kr/a"),
        ("https://mobile.news.kr/a", "https://news.kr/a"),
        ("https://m.kr/a", "https://m.kr/a"),
        ("https://news.kr/a?b=2&a=1", "https://news.kr/a?a=1&b=2"),
        ("https://news.kr/기사/1", "https://news.kr/%EA%B8%B0%EC%82%AC/1"),
        ("https://news.kr/%ea%b8%b0", "https://news.kr/%EA%B8%B0"),
        ("https://news.kr/s?q=%C1%F6%BF%AA", "https://news.kr/s?q=%C1%F6%BF%AA"),
        ("  https://news.kr/a  ", "https://news.kr/a"),
    ],
)
def test_canonicalize_merges_variants_of_one_page(raw, canonical):
    assert canonicalize(raw) == canonical


def test_canonicalize_is_idempotent():
    once = canonicalize("https://m.news.kr/기사?utm_campaign=x&id=3#top")
    assert canonicalize(once) == once


def test_canonicalize_keeps_content_parameters():
    assert canonicalize("https://news.kr/articleView.html?idxno=123&sc=5") == (
        "https://news.kr/articleView.html?idxno=123&sc=5"
    )


@pytest.mark.parametrize(
    "url", ["ftp://news.kr/a", "file:///etc/passwd", "javascript:alert(1)", "gopher://x"]
)
def test_only_http_and_https_are_fetchable(url):
    assert check_address(url, allow_private=True) == "bad_scheme"


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/",
        "http://localhost/",
        "http://10.1.2.3/",
        "http://192.168.0.1/",
        "http://[::1]/",
        "http://0.0.0.0/",
        "http://169.254.169.254/latest/meta-data/",
        "http://[fe80::1]/",
        "http://224.0.0.1/",
        "http://240.0.0.1/",
        "http://[::ffff:169.254.169.254]/",
    ],
)
def test_internal_addresses_are_refused_by_default(url):
    assert check_address(url) == "private_address"


@pytest.mark.parametrize("url", ["http://127.0.0.1:8080/", "http://localhost/", "http://10.1.2.3/"])
def test_allow_private_permits_loopback_and_private(url):
    assert check_address(url, allow_private=True) is None


@pytest.mark.parametrize(
    "url",
    [
        "http://169.254.169.254/",
        "http://169.254.1.1/",
        "http://[fe80::1]/",
        "http://[fd00:ec2::254]/",
        "http://100.100.100.200/",
        "http://0.0.0.0/",
    ],
)
def test_link_local_and_metadata_are_refused_even_with_allow_private(url):
    assert check_address(url, allow_private=True) == "private_address"


def test_host_names_are_judged_by_the_address_they_resolve_to(monkeypatch):
    def fake(host, port, *args, **kwargs):
        ip = {"metadata.example": "169.254.169.254", "public.example": "93.184.216.34"}[host]
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (ip, port))]

    monkeypatch.setattr(urls.socket, "getaddrinfo", fake)
    assert check_address("http://metadata.example/", allow_private=True) == "private_address"
    assert check_address("https://public.example/a") is None


def test_a_host_with_one_private_address_among_public_ones_is_refused(monkeypatch):
    def fake(host, port, *args, **kwargs):
        return [
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", (ip, port))
            for ip in ("93.184.216.34", "10.0.0.5")
        ]

    monkeypatch.setattr(urls.socket, "getaddrinfo", fake)
    assert check_address("http://mixed.example/") == "private_address"


def test_unresolvable_host_is_a_connection_error(monkeypatch):
    def fail(*args, **kwargs):
        raise socket.gaierror("no such host")

    monkeypatch.setattr(urls.socket, "getaddrinfo", fail)
    assert check_address("http://nowhere.invalid/") == "connection_error"
