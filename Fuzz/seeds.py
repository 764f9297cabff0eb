#!/usr/bin/env python3
"""Writes the committed seed corpora of the fuzz targets: Fuzz/corpus/{http,jwt,query}/.

Run it again after changing a list below (`python3 Fuzz/seeds.py`); it rewrites only the
files named here and leaves other files in the corpus directories (minimised finds that
were committed on purpose) alone. The files are small: libFuzzer mutates them, so a seed
only has to reach a code path, not cover a case completely.
"""

import base64
import hashlib
import hmac
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))
# The fuzz key of Fuzz/JWTFuzz.swift and its clock reading.
SECRET = b"findash-fuzz-secret-0123456789abcdef"
NOW = 1_700_000_000


def post(fields, body=b""):
    return b"POST /api/v1/x HTTP/1.1\r\nHost: h\r\n" + b"".join(f + b"\r\n" for f in fields) + b"\r\n" + body


HTTP = {
    "get-simple": b"GET / HTTP/1.1\r\nHost: example.com\r\n\r\n",
    "get-dashboard": b"GET /api/v1/dashboard/summary?from=2026-01-01&to=2026-03-31&top=5 HTTP/1.1\r\n"
                     b"Host: api.example.com\r\nAuthorization: Bearer eyJhbGciOiJIUzI1NiJ9.e30.c2ln\r\n"
                     b"Accept: application/json\r\nIf-None-Match: \"abc\"\r\nX-Request-ID: r-1\r\n\r\n",
    "get-percent-path": b"GET /api/a%20b/%C3%A9t%C3%A9?x=1&y=%20+z HTTP/1.1\r\nHost: h\r\n\r\n",
    "get-bad-percent": b"GET /a%zz%%/%ff%00 HTTP/1.1\r\nHost: h\r\n\r\n",
    "get-absolute-form": b"GET http://h:8000/p?q=1 HTTP/1.1\r\nHost: h:8000\r\n\r\n",
    "options-asterisk": b"OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\n",
    "head-http10-keepalive": b"HEAD /health HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n",
    "get-http10": b"GET /x HTTP/1.0\r\n\r\n",
    "get-connection-close": b"GET /x HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n",
    "leading-empty-lines": b"\r\n\r\nGET / HTTP/1.1\r\nHost: h\r\n\r\n",
    "pipelined-three": b"GET /a HTTP/1.1\r\nHost: h\r\n\r\n" + post([b"Content-Length: 3"], b"abc")
                       + b"GET /c HTTP/1.1\r\nHost: h\r\n\r\n",
    "post-content-length": post([b"Content-Length: 5", b"Content-Type: text/plain"], b"hello"),
    "post-content-length-list": post([b"Content-Length: 5, 5"], b"hello"),
    "post-expect-continue": post([b"Content-Length: 5", b"Expect: 100-continue"], b"hello"),
    "post-chunked": post([b"Transfer-Encoding: chunked"], b"5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n"),
    "post-chunked-ext-trailer": post([b"Transfer-Encoding: chunked"],
                                     b"5;name=value;q=\"x y\"\r\nhello\r\n0;end\r\nX-Trailer: v\r\n\r\n"),
    "post-chunked-upper-hex": post([b"Transfer-Encoding: Chunked"], b"A\r\n0123456789\r\n0\r\n\r\n"),
    "post-chunked-then-get": post([b"Transfer-Encoding: chunked"], b"3\r\nabc\r\n0\r\n\r\n")
                             + b"GET / HTTP/1.1\r\nHost: h\r\n\r\n",
    "smuggle-cl-te": post([b"Content-Length: 4", b"Transfer-Encoding: chunked"], b"0\r\n\r\n"),
    "smuggle-te-cl": post([b"Transfer-Encoding: chunked", b"Content-Length: 4"], b"0\r\n\r\n"),
    "smuggle-cl-cl": post([b"Content-Length: 5", b"Content-Length: 6"], b"hello!"),
    "smuggle-te-list": post([b"Transfer-Encoding: gzip, chunked"], b"0\r\n\r\n"),
    "smuggle-te-space": post([b"Transfer-Encoding : chunked"], b"0\r\n\r\n"),
    "smuggle-obs-fold": post([b"Transfer-Encoding:", b" chunked"], b"0\r\n\r\n"),
    "smuggle-bare-lf": b"GET / HTTP/1.1\nHost: h\n\n",
    "smuggle-bare-cr": b"GET / HTTP/1.1\r\nHost: h\rX: y\r\n\r\n",
    "smuggle-nul": b"GET / HTTP/1.1\r\nHost: h\r\nX: a\x00b\r\n\r\n",
    "smuggle-chunk-size-overflow": post([b"Transfer-Encoding: chunked"], b"fffffffffffffffff1\r\nx\r\n0\r\n\r\n"),
    "smuggle-chunk-lf": post([b"Transfer-Encoding: chunked"], b"5\nhello\n0\n\n"),
    "version-2": b"GET / HTTP/2.0\r\nHost: h\r\n\r\n",
    "version-junk": b"GET / HTTP/1.1x\r\nHost: h\r\n\r\n",
    "method-unknown": b"BREW /pot HTTP/1.1\r\nHost: h\r\n\r\n",
    "connect": b"CONNECT h:443 HTTP/1.1\r\nHost: h:443\r\n\r\n",
    "cl-huge": post([b"Content-Length: 99999999999999999999999"]),
    "many-fields": b"GET / HTTP/1.1\r\nHost: h\r\n" + b"".join(b"X-F%d: v\r\n" % i for i in range(8)) + b"\r\n",
    "long-target": b"GET /" + b"a" * 60 + b" HTTP/1.1\r\nHost: h\r\n\r\n",
}

# JWT target: tokens (signed with SECRET unless noted) and JSON texts.


def b64(data):
    if isinstance(data, str):
        data = data.encode()
    return base64.urlsafe_b64encode(data).rstrip(b"=")


def token(header, payload, secret=SECRET, raw_payload=None):
    h = b64(json.dumps(header, separators=(",", ":")))
    p = b64(raw_payload if raw_payload is not None else json.dumps(payload, separators=(",", ":")))
    signing = h + b"." + p
    return signing + b"." + b64(hmac.new(secret, signing, hashlib.sha256).digest())


CLAIMS = {"tenant_type": "user", "tenant_id": "t1", "scope": "dashboard:read",
          "iat": NOW - 10, "exp": NOW + 300, "iss": "findash-tests", "aud": "findash"}
HS = {"alg": "HS256", "typ": "JWT"}
JWT = {
    "valid": token(HS, CLAIMS),
    "valid-aud-list": token(HS, dict(CLAIMS, aud=["other", "findash"])),
    "valid-fractional-exp": token({"alg": "HS256"}, dict(CLAIMS, exp=NOW + 300.5, nbf=NOW - 1.25)),
    "valid-unicode-claims": token(HS, dict(CLAIMS, tenant_id="t\u00e9\U0001F600", note="a\"b\\c\u0000")),
    "valid-kid": token(dict(HS, kid="k1", jku="https://evil.example/jwks"), CLAIMS),
    "expired": token(HS, dict(CLAIMS, exp=NOW - 1)),
    "nbf-future": token(HS, dict(CLAIMS, nbf=NOW + 3600)),
    "exp-string": token(HS, dict(CLAIMS, exp=str(NOW + 300))),
    "exp-huge": token(HS, dict(CLAIMS, exp=1e300)),
    "payload-array": token(HS, None, raw_payload=b"[1,2,3]"),
    "payload-duplicate": token(HS, None, raw_payload=b'{"exp":1,"exp":9999999999}'),
    "wrong-secret": token(HS, CLAIMS, secret=b"not-the-key"),
    "alg-none": b64('{"alg":"none","typ":"JWT"}') + b"." + b64(json.dumps(CLAIMS)) + b".",
    "alg-none-sig": b64('{"alg":"none"}') + b"." + b64(json.dumps(CLAIMS)) + b".c2ln",
    "alg-rs256": token({"alg": "RS256"}, CLAIMS),
    "alg-lowercase": token({"alg": "hs256"}, CLAIMS),
    "crit": token(dict(HS, crit=["b64"], b64=False), CLAIMS),
    "typ-jose": token(dict(HS, typ="JOSE"), CLAIMS),
    "four-segments": token(HS, CLAIMS) + b".x",
    "padded": b64('{"alg":"HS256"}') + b"==." + b64("{}") + b".c2ln",
    "json-object": json.dumps(CLAIMS).encode(),
    "json-nested": b'{"a":[{"b":[[[[[[[[[[[[[[1]]]]]]]]]]]]]}]}',
    "json-too-deep": b"[" * 20 + b"]" * 20,
    "json-numbers": b'[0,-0,1e400,-1.5E-3,123456789012345678901234567890,9223372036854775807,-9223372036854775808]',
    "json-escapes": b'"\\u00e9\\ud83d\\ude00\\n\\t\\"\\\\\\/"',
    "json-lone-surrogate": b'"\\ud800"',
    "json-bad-utf8": b'"\xc0\xaf\xed\xa0\x80\xf4\x90\x80\x80"',
    "json-literals": b' {"t":true,"f":false,"n":null} ',
    "base64url": b"SGVsbG8sIHdvcmxkIQ",
}

QUERY = {
    "empty": b"",
    "full": b"from=2026-01-01&to=2026-03-31&as_of=2026-03-15&granularity=week&top=5&include_inactive=true",
    "defaults-granularity": b"from=2025-01-01&to=2025-12-31",
    "leap-day": b"from=2024-02-29&to=2024-02-29&granularity=day",
    "not-a-day": b"from=2026-02-30",
    "year-one": b"from=0001-01-01&to=0001-01-31",
    "year-9999": b"from=9999-12-01&to=9999-12-31&as_of=9999-12-31",
    "range-too-long": b"from=2020-01-01&to=2026-01-01",
    "top-bounds": b"top=100&top=0&top=101",
    "top-signs": b"top=+5&top=-1&top=05&top=1e1",
    "percent": b"fr%6Fm=2026%2D01%2D01&to=2026-01-31&x=%C3%A9&y=a+b",
    "percent-bad": b"a=%zz&b=%&c=%4&d=%C3",
    "percent-nul": b"a=%00",
    "percent-overlong": b"a=%C0%AF&b=%ED%A0%80&c=%F4%90%80%80",
    "separators": b"&&a&=b&c==d&&",
    "include-inactive": b"include_inactive=TRUE&include_inactive=1",
    "granularity": b"granularity=month&granularity=year",
}


def write(name, files):
    directory = os.path.join(HERE, "corpus", name)
    os.makedirs(directory, exist_ok=True)
    for key, data in files.items():
        with open(os.path.join(directory, key), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    write("http", HTTP)
    write("jwt", JWT)
    write("query", QUERY)
    print("wrote %d http, %d jwt, %d query seeds under %s"
          % (len(HTTP), len(JWT), len(QUERY), os.path.join(HERE, "corpus")))
