"""HTTP basics over real sockets (issue 2, CONTRACT.md §4–§5): /health, problem+json
404/405, the headers every response carries, HEAD, path decoding."""

import email.utils
import json
import re
import time

import pytest

from support import REQUEST_ID_RE, RawConnection, request, simple_get

PROBLEM_TYPE = "application/problem+json"
DATE_RE = re.compile(r"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} "
                     r"(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} "
                     r"\d{2}:\d{2}:\d{2} GMT$")


def assert_common_headers(headers, what):
    rid = headers.get("x-request-id")
    assert rid and REQUEST_ID_RE.match(rid), "%s: X-Request-ID missing or invalid: %r" % (what, rid)
    assert headers.get("x-content-type-options") == "nosniff", (
        "%s: X-Content-Type-Options is %r" % (what, headers.get("x-content-type-options")))


def assert_problem(status, headers, body, expected_status, what):
    assert status == expected_status, "%s: expected %d, got %d %r" % (what, expected_status, status, body)
    ctype = headers.get("content-type", "")
    assert ctype.split(";")[0].strip() == PROBLEM_TYPE, "%s: content-type %r" % (what, ctype)
    doc = json.loads(body)
    for key in ("type", "title", "status", "detail"):
        assert key in doc, "%s: problem document lacks %r: %r" % (what, key, doc)
    assert doc["status"] == expected_status, "%s: problem status %r" % (what, doc["status"])
    assert isinstance(doc["title"], str) and doc["title"], what
    assert isinstance(doc["type"], str) and doc["type"], what
    assert isinstance(doc["detail"], str), what
    assert_common_headers(headers, what)
    return doc


def test_health_is_ok_json(findash):
    status, headers, body = request(findash, "GET", "/health")
    assert status == 200
    assert headers.get("content-type", "").split(";")[0].strip() == "application/json"
    assert json.loads(body) == {"status": "ok"}
    assert int(headers["content-length"]) == len(body)
    assert_common_headers(headers, "GET /health")


def test_date_header_is_imf_fixdate_and_current(findash):
    status, headers, _ = request(findash, "GET", "/health")
    assert status == 200
    date = headers.get("date")
    assert date and DATE_RE.match(date), "Date header %r is not an IMF-fixdate" % date
    sent = email.utils.parsedate_to_datetime(date).timestamp()
    assert abs(sent - time.time()) < 5, "Date %r is not the current time" % date


def test_unknown_route_is_404_problem(findash):
    status, headers, body = request(findash, "GET", "/no/such/route")
    assert_problem(status, headers, body, 404, "GET /no/such/route")


@pytest.mark.parametrize("method,path", [
    ("POST", "/health"),
    ("DELETE", "/health"),
    ("PUT", "/health/dashboard"),
    ("PATCH", "/financial/dashboard/summary"),
])
def test_other_methods_are_405_with_allow(findash, method, path):
    status, headers, body = request(findash, method, path, body=b"" if method != "DELETE" else None)
    assert_problem(status, headers, body, 405, "%s %s" % (method, path))
    allow = {part.strip().upper() for part in headers.get("allow", "").split(",") if part.strip()}
    assert {"GET", "HEAD"} <= allow, "%s %s: Allow is %r" % (method, path, headers.get("allow"))
    assert method not in allow


def test_head_has_headers_and_length_but_no_body(findash):
    with RawConnection(findash) as conn:
        # HEAD then GET pipelined: if the server sent a body after the HEAD response,
        # the second response would not start where it should.
        conn.send(b"HEAD /health HTTP/1.1\r\nHost: t\r\nX-Request-ID: head-1\r\n\r\n"
                  + b"GET /health HTTP/1.1\r\nHost: t\r\nX-Request-ID: get-2\r\n\r\n")
        head = conn.read_response("HEAD")
        get = conn.read_response("GET")
    assert head.status == 200 and get.status == 200
    assert head.body == b""
    assert head.header("x-request-id") == "head-1" and get.header("x-request-id") == "get-2"
    assert int(head.header("content-length")) == len(get.body) > 0
    assert json.loads(get.body) == {"status": "ok"}
    assert head.header("content-type") == get.header("content-type")


def test_head_on_unknown_route_is_404_without_body(findash):
    with RawConnection(findash) as conn:
        conn.send(b"HEAD /nope HTTP/1.1\r\nHost: t\r\n\r\n" + simple_get("/health"))
        head = conn.read_response("HEAD")
        follow = conn.read_response()
    assert head.status == 404 and head.body == b""
    assert int(head.header("content-length")) > 0
    assert follow.status == 200


@pytest.mark.parametrize("path", ["/%68ealth", "/health?", "/health?x=1&y=%20z", "/%68%65%61%6C%74%68"])
def test_path_is_percent_decoded_and_query_ignored(findash, path):
    status, headers, body = request(findash, "GET", path)
    assert status == 200, "GET %s: %d %r" % (path, status, body)
    assert json.loads(body) == {"status": "ok"}


# ---------------------------------------------------------------- X-Request-ID

def test_request_id_generated_when_absent_and_unique(findash):
    ids = set()
    for _ in range(5):
        status, headers, _ = request(findash, "GET", "/health")
        assert status == 200
        assert_common_headers(headers, "GET /health")
        ids.add(headers["x-request-id"])
    assert len(ids) == 5, "generated request ids repeat: %r" % ids


@pytest.mark.parametrize("rid", ["abc-DEF_1.2:3", "a" * 128, "0", "req:2026-11-21T10:00:00.000Z"])
def test_valid_request_id_is_echoed(findash, rid):
    for path in ("/health", "/nope"):
        status, headers, _ = request(findash, "GET", path, headers={"X-Request-ID": rid})
        assert headers.get("x-request-id") == rid, "GET %s: sent %r, got %r" % (
            path, rid, headers.get("x-request-id"))


@pytest.mark.parametrize("rid", [b"a" * 129, b"has space", b"", b"semi;colon", b"caf\xc3\xa9",
                                 b"slash/es", b"quote\"d"])
def test_invalid_request_id_is_replaced(findash, rid):
    with RawConnection(findash) as conn:
        conn.send(b"GET /health HTTP/1.1\r\nHost: t\r\nX-Request-ID: " + rid + b"\r\n\r\n")
        resp = conn.read_response()
    assert resp.status == 200
    got = resp.header("x-request-id")
    assert got and REQUEST_ID_RE.match(got), "sent %r, got invalid id %r" % (rid, got)
    assert got.encode("latin-1") != rid


def test_common_headers_on_error_responses(findash):
    for method, path in (("GET", "/nope"), ("POST", "/health")):
        status, headers, _ = request(findash, method, path, body=b"" if method == "POST" else None,
                                     headers={"X-Request-ID": "err-check-1"})
        assert status >= 400
        assert headers.get("x-request-id") == "err-check-1"
        assert headers.get("x-content-type-options") == "nosniff"
