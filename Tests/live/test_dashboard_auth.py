"""JWT authentication on the dashboard endpoints (CONTRACT.md §3).

Every rejection is 401 with `WWW-Authenticate: Bearer error="invalid_token"` and one and
the same problem title and detail whatever the reason; a valid token without the
`dashboard:read` scope is 403; nothing is ever 500. Tokens are built here byte by byte
(HMAC from the stdlib, RSA/ECDSA signatures from the `openssl` command line) so that
every malformation is exactly the one named.
"""

import base64
import hashlib
import hmac
import json
import os
import subprocess
import sys
import time

import pytest
from support import RawConnection

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures"))
import dashdata as dd  # noqa: E402

TID = dd.tenant_id("auth")           # a tenant without rows: answers are cheap
PATH = "/financial/dashboard/summary?from=2026-11-01&to=2026-11-21"
EP = "/financial/dashboard"
ALL = [EP + "/summary", EP + "/accounts", EP + "/transactions", EP + "/budgets", EP]
DROP = object()


# ------------------------------------------------------------------------- token building

def b64u(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def seg(obj):
    return b64u(json.dumps(obj, separators=(",", ":")).encode("utf-8"))


def hs_secret():
    from support import TEST_SECRET
    return TEST_SECRET.encode("utf-8") if isinstance(TEST_SECRET, str) else bytes(TEST_SECRET)


def claims(**override):
    now = int(time.time())
    c = {"exp": now + 300, "iat": now, "tenant_type": "user", "tenant_id": TID,
         "scope": "dashboard:read"}
    for key, value in override.items():
        if value is DROP:
            c.pop(key, None)
        else:
            c[key] = value
    return c


def hs(payload, alg="HS256", secret=None, header=None, raw_header=None, raw_payload=None):
    """HMAC-signed token; raw_header / raw_payload are segments' bytes used as given."""
    digest = {"HS256": hashlib.sha256, "HS384": hashlib.sha384, "HS512": hashlib.sha512}[alg]
    h = b64u(raw_header) if raw_header is not None else seg(header or {"alg": alg, "typ": "JWT"})
    p = b64u(raw_payload) if raw_payload is not None else seg(payload)
    signing = h + "." + p
    key = hs_secret() if secret is None else secret
    return signing + "." + b64u(hmac.new(key, signing.encode("ascii"), digest).digest())


def unsigned(alg, trailing_dot=True):
    t = seg({"alg": alg, "typ": "JWT"}) + "." + seg(claims())
    return t + "." if trailing_dot else t


def tampered_payload():
    good = hs(claims()).split(".")
    return good[0] + "." + seg(claims(tenant_id=TID + "x")) + "." + good[2]


def tampered_signature():
    good = hs(claims())
    last = good[-2]
    return good[:-2] + ("A" if last != "A" else "B") + good[-1]


def now_plus(seconds):
    return int(time.time()) + seconds


# (id, builder of the Authorization header value or None for no header)
REJECTED = [
    ("no_header", lambda: None),
    ("empty_header", lambda: ""),
    ("basic_scheme", lambda: "Basic dXNlcjpwYXNzd29yZA=="),
    ("token_scheme", lambda: "Token " + hs(claims())),
    ("jwt_without_scheme", lambda: hs(claims())),
    ("bearer_without_token", lambda: "Bearer"),
    ("bearer_blank", lambda: "Bearer    "),
    ("alg_none", lambda: "Bearer " + unsigned("none")),
    ("alg_None", lambda: "Bearer " + unsigned("None")),
    ("alg_NONE", lambda: "Bearer " + unsigned("NONE")),
    ("alg_nOnE", lambda: "Bearer " + unsigned("nOnE")),
    ("alg_none_no_trailing_dot", lambda: "Bearer " + unsigned("none", trailing_dot=False)),
    ("alg_none_with_hmac_signature", lambda: "Bearer " + hs(claims(), header={"alg": "none", "typ": "JWT"})),
    ("alg_missing", lambda: "Bearer " + hs(claims(), header={"typ": "JWT"})),
    ("alg_hs256_lowercase", lambda: "Bearer " + hs(claims(), header={"alg": "hs256", "typ": "JWT"})),
    ("alg_HS384", lambda: "Bearer " + hs(claims(), alg="HS384")),
    ("alg_HS512", lambda: "Bearer " + hs(claims(), alg="HS512")),
    ("wrong_secret", lambda: "Bearer " + hs(claims(), secret=b"not-the-test-secret")),
    ("empty_secret", lambda: "Bearer " + hs(claims(), secret=b"")),
    ("tampered_payload", lambda: "Bearer " + tampered_payload()),
    ("tampered_signature", lambda: "Bearer " + tampered_signature()),
    ("signature_stripped", lambda: "Bearer " + hs(claims()).rsplit(".", 1)[0] + "."),
    ("expired", lambda: "Bearer " + hs(claims(exp=now_plus(-3600)))),
    ("nbf_in_3600s", lambda: "Bearer " + hs(claims(nbf=now_plus(3600)))),
    ("nbf_in_120s", lambda: "Bearer " + hs(claims(nbf=now_plus(120)))),
    ("iat_in_3600s", lambda: "Bearer " + hs(claims(iat=now_plus(3600)))),
    ("iat_in_120s", lambda: "Bearer " + hs(claims(iat=now_plus(120)))),
    ("missing_exp", lambda: "Bearer " + hs(claims(exp=DROP))),
    ("missing_tenant_type", lambda: "Bearer " + hs(claims(tenant_type=DROP))),
    ("missing_tenant_id", lambda: "Bearer " + hs(claims(tenant_id=DROP))),
    ("missing_scope", lambda: "Bearer " + hs(claims(scope=DROP))),
    ("tenant_type_admin", lambda: "Bearer " + hs(claims(tenant_type="admin"))),
    ("tenant_type_User", lambda: "Bearer " + hs(claims(tenant_type="User"))),
    ("tenant_type_empty", lambda: "Bearer " + hs(claims(tenant_type=""))),
    ("tenant_type_number", lambda: "Bearer " + hs(claims(tenant_type=1))),
    ("tenant_id_with_space", lambda: "Bearer " + hs(claims(tenant_id="a b"))),
    ("tenant_id_65_chars", lambda: "Bearer " + hs(claims(tenant_id="a" * 65))),
    ("tenant_id_empty", lambda: "Bearer " + hs(claims(tenant_id=""))),
    ("tenant_id_slash", lambda: "Bearer " + hs(claims(tenant_id="a/b"))),
    ("tenant_id_quote", lambda: "Bearer " + hs(claims(tenant_id="a'b"))),
    ("tenant_id_non_ascii", lambda: "Bearer " + hs(claims(tenant_id="caf\u00e9"))),
    ("tenant_id_number", lambda: "Bearer " + hs(claims(tenant_id=42))),
    ("garbage_symbols", lambda: "Bearer !!!.@@@.###"),
    ("garbage_one_segment", lambda: "Bearer abcdef"),
    ("garbage_three_segments", lambda: "Bearer a.b.c"),
    ("two_segments", lambda: "Bearer " + hs(claims()).rsplit(".", 1)[0]),
    ("four_segments", lambda: "Bearer " + hs(claims()) + ".AAAA"),
    ("header_not_json", lambda: "Bearer " + hs(claims(), raw_header=b"not json")),
    ("payload_not_json", lambda: "Bearer " + hs(None, raw_payload=b"not json")),
    ("payload_json_array", lambda: "Bearer " + hs(None, raw_payload=b"[]")),
    ("payload_invalid_base64", lambda: "Bearer " + seg({"alg": "HS256", "typ": "JWT"}) + ".%%%%." + "AAAA"),
    ("oversized_garbage_20kb", lambda: "Bearer " + "A" * 20480),
    ("oversized_signed_20kb", lambda: "Bearer " + hs(claims(pad="x" * 20000))),
]

ACCEPTED = [
    ("support_make_token", lambda: "Bearer " + __import__("support").make_token(tenant_type="user", tenant_id=TID)),
    ("plain_hs256", lambda: "Bearer " + hs(claims())),
    ("nbf_in_30s_within_leeway", lambda: "Bearer " + hs(claims(nbf=now_plus(30)))),
    ("iat_in_30s_within_leeway", lambda: "Bearer " + hs(claims(iat=now_plus(30)))),
    ("nbf_and_iat_in_the_past", lambda: "Bearer " + hs(claims(nbf=now_plus(-3600), iat=now_plus(-3600)))),
    ("no_iat", lambda: "Bearer " + hs(claims(iat=DROP))),
    ("no_typ_header", lambda: "Bearer " + hs(claims(), header={"alg": "HS256"})),
    ("typ_at_jwt", lambda: "Bearer " + hs(claims(), header={"alg": "HS256", "typ": "at+jwt"})),
    ("typ_application_at_jwt", lambda: "Bearer " + hs(claims(), header={"alg": "HS256", "typ": "application/at+jwt"})),
    ("scope_among_others", lambda: "Bearer " + hs(claims(scope="openid dashboard:read profile"))),
    ("tenant_id_64_chars", lambda: "Bearer " + hs(claims(tenant_id="A-z_0.9" + "b" * 57))),
    ("organization", lambda: "Bearer " + hs(claims(tenant_type="organization"))),
]

FORBIDDEN = [
    ("scope_other", lambda: "Bearer " + hs(claims(scope="profile:read"))),
    ("scope_dashboard_write", lambda: "Bearer " + hs(claims(scope="dashboard:write"))),
    ("scope_dashboard_readonly", lambda: "Bearer " + hs(claims(scope="dashboard:readonly"))),
    ("scope_prefixed", lambda: "Bearer " + hs(claims(scope="xdashboard:read admin"))),
]


def send(server, auth, path=PATH):
    headers = {} if auth is None else {"Authorization": auth}
    return dd.http_request(server, "GET", path, headers=headers)


def problem(raw):
    try:
        return json.loads(raw)
    except ValueError:
        return None


def check_401(server, name, auth, path=PATH):
    """Returns (title, detail) of a correct 401; raises with a clear message otherwise."""
    status, headers, raw = send(server, auth, path)
    where = "%s on %s" % (name, path)
    assert status == 401, "%s: expected 401, got %s: %r" % (where, status, raw[:500])
    www = headers.get("www-authenticate", "")
    assert "Bearer" in www and 'error="invalid_token"' in www, \
        "%s: WWW-Authenticate should be Bearer error=\"invalid_token\", got %r" % (where, www)
    ctype = headers.get("content-type", "")
    assert ctype.startswith("application/problem+json"), "%s: content-type %r" % (where, ctype)
    body = problem(raw)
    assert isinstance(body, dict) and body.get("status") == 401 and "title" in body and "detail" in body, \
        "%s: problem body %r" % (where, raw[:500])
    return body.get("title"), body.get("detail")


@pytest.mark.parametrize("name,build", REJECTED, ids=[n for n, _ in REJECTED])
def test_rejected_with_401(findash, name, build):
    check_401(findash, name, build())


def test_every_401_looks_the_same(findash):
    seen = {}
    for name, build in REJECTED:
        status, headers, raw = send(findash, build())
        body = problem(raw) or {}
        key = (status, headers.get("www-authenticate"), body.get("title"), body.get("detail"))
        seen.setdefault(key, []).append(name)
    assert len(seen) == 1, "401 answers differ by reason (status, WWW-Authenticate, title, detail):\n" + \
        "\n".join("  %r <- %s" % (k, ", ".join(v)) for k, v in seen.items())


@pytest.mark.parametrize("path", ALL)
def test_every_endpoint_requires_a_token(findash, path):
    q = path + "?from=2026-11-01&to=2026-11-21"
    check_401(findash, "no_header", None, q)
    check_401(findash, "alg_none", "Bearer " + unsigned("none"), q)
    check_401(findash, "expired", "Bearer " + hs(claims(exp=now_plus(-3600))), q)


def test_two_authorization_fields_are_refused(findash):
    """Authorization is a singleton field (RFC 9110 §11.6.2): with two, a proxy and this server
    might each pick another one, so neither is used, even when both are valid."""
    good = "Bearer " + hs(claims())
    for pair in ((good, good), (good, "Bearer x"), ("Bearer x", good)):
        raw = ("GET %s HTTP/1.1\r\nHost: t\r\nAuthorization: %s\r\nAuthorization: %s\r\nConnection: close\r\n\r\n"
               % (PATH, pair[0], pair[1])).encode()
        with RawConnection(findash, timeout=5) as conn:
            conn.send(raw)
            resp = conn.read_response()
        assert resp.status == 401, "two Authorization fields: expected 401, got %d" % resp.status
        assert 'error="invalid_token"' in (resp.header("www-authenticate") or "")


def test_a_canonically_equivalent_token_is_not_taken_from_the_cache(findash):
    """U+212A KELVIN SIGN is canonically equivalent to K: once the real token is verified and
    cached, the altered one must still be refused (tokens are compared as bytes)."""
    token = next(t for t in (hs(claims(jti="kelvin-%d" % i)) for i in range(1000)) if "K" in t)
    assert send(findash, "Bearer " + token)[0] == 200
    altered = token.replace("K", "\u212a", 1)
    raw = ("GET %s HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer %s\r\nConnection: close\r\n\r\n"
           % (PATH, altered)).encode("utf-8")
    with RawConnection(findash, timeout=5) as conn:
        conn.send(raw)
        assert conn.read_response().status == 401


@pytest.mark.parametrize("name,build", ACCEPTED, ids=[n for n, _ in ACCEPTED])
def test_accepted(findash, name, build):
    status, _, raw = send(findash, build())
    assert status == 200, "%s: expected 200, got %s: %r" % (name, status, raw[:500])


@pytest.mark.parametrize("name,build", FORBIDDEN, ids=[n for n, _ in FORBIDDEN])
def test_scope_without_dashboard_read_is_403(findash, name, build):
    for path in ALL:
        status, headers, raw = send(findash, build(), path + "?from=2026-11-01&to=2026-11-21")
        assert status == 403, "%s on %s: expected 403, got %s: %r" % (name, path, status, raw[:500])
        assert headers.get("content-type", "").startswith("application/problem+json"), headers
        body = problem(raw)
        assert isinstance(body, dict) and body.get("status") == 403, raw[:500]


def test_empty_scope_is_refused(findash):
    # a present but empty scope lacks dashboard:read: 403 (a server treating it as missing: 401)
    status, _, raw = send(findash, "Bearer " + hs(claims(scope="")))
    assert status in (401, 403), "empty scope: expected 403 (or 401), got %s: %r" % (status, raw[:500])


# ------------------------------------------------------------------------- RS256 / ES256

def openssl(*args, data=None):
    done = subprocess.run(["openssl"] + list(args), input=data, capture_output=True)
    assert done.returncode == 0, "openssl %s failed: %s" % (" ".join(args), done.stderr.decode())
    return done.stdout


class Keys:
    pass


@pytest.fixture(scope="module")
def keys(tmp_path_factory):
    d = tmp_path_factory.mktemp("jwtkeys")
    k = Keys()
    for name in ("rsa", "rsa_other"):
        priv = d / (name + ".pem")
        openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", str(priv))
        setattr(k, name, str(priv))
    for name in ("ec", "ec_other"):
        priv = d / (name + ".pem")
        openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", str(priv))
        setattr(k, name, str(priv))
    k.rsa_pub = str(d / "rsa_pub.pem")
    openssl("pkey", "-in", k.rsa, "-pubout", "-out", k.rsa_pub)
    k.ec_pub = str(d / "ec_pub.pem")
    openssl("pkey", "-in", k.ec, "-pubout", "-out", k.ec_pub)
    return k


def rs(payload, key, alg="RS256", header=None):
    digest = {"RS256": "-sha256", "RS384": "-sha384", "RS512": "-sha512"}[alg]
    signing = seg(header or {"alg": alg, "typ": "JWT"}) + "." + seg(payload)
    sig = openssl("dgst", digest, "-sign", key, data=signing.encode("ascii"))
    return signing + "." + b64u(sig)


def der_to_raw(der, size=32):
    """ECDSA-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER } (DER) -> r || s, each `size` bytes
    (the JWS form, RFC 7518 §3.4)."""
    assert der[0] == 0x30, der.hex()
    i = 2 + (der[1] & 0x7F if der[1] & 0x80 else 0)
    out = b""
    for _ in range(2):
        assert der[i] == 0x02, der.hex()
        n = der[i + 1]
        value = der[i + 2:i + 2 + n].lstrip(b"\x00")
        assert len(value) <= size, der.hex()
        out += value.rjust(size, b"\x00")
        i += 2 + n
    return out


def es(payload, key, der=False, header=None):
    signing = seg(header or {"alg": "ES256", "typ": "JWT"}) + "." + seg(payload)
    sig = openssl("dgst", "-sha256", "-sign", key, data=signing.encode("ascii"))
    return signing + "." + b64u(sig if der else der_to_raw(sig))


def pem_bytes(path):
    with open(path, "rb") as f:
        return f.read()


def expect(server, cases):
    """cases: [(name, header value, expected status)] -> list of failures."""
    failures = []
    titles = set()
    for name, auth, want in cases:
        status, headers, raw = send(server, auth)
        if status != want:
            failures.append("%s: expected %s, got %s: %r" % (name, want, status, raw[:300]))
        elif want == 401:
            try:
                titles.add(check_401(server, name, auth))
            except AssertionError as e:
                failures.append(str(e))
    if len(titles) > 1:
        failures.append("401 answers differ: %r" % titles)
    return failures


def test_rs256_public_key_server(start_findash, keys):
    server = start_findash(JWT_PUBLIC_KEY_FILE=keys.rsa_pub, JWT_SECRET=None)
    cases = [
        ("RS256 valid", "Bearer " + rs(claims(), keys.rsa), 200),
        ("RS256 other scope", "Bearer " + rs(claims(scope="profile:read"), keys.rsa), 403),
        # HS256 with the public key's PEM bytes as the HMAC secret (algorithm confusion)
        ("HS256 signed with the public key PEM", "Bearer " + hs(claims(), secret=pem_bytes(keys.rsa_pub)), 401),
        ("HS256 signed with the test secret", "Bearer " + hs(claims()), 401),
        ("RS256 signed by another key", "Bearer " + rs(claims(), keys.rsa_other), 401),
        ("RS512 (not configured)", "Bearer " + rs(claims(), keys.rsa, alg="RS512"), 401),
        ("RS256 header over an RS512 signature", "Bearer " + rs(claims(), keys.rsa, alg="RS512",
                                                                 header={"alg": "RS256", "typ": "JWT"}), 401),
        ("ES256 on an RSA key", "Bearer " + es(claims(), keys.ec), 401),
        ("alg none", "Bearer " + unsigned("none"), 401),
        ("RS256 expired", "Bearer " + rs(claims(exp=now_plus(-3600)), keys.rsa), 401),
        ("RS256 missing scope", "Bearer " + rs(claims(scope=DROP), keys.rsa), 401),
        ("RS256 tenant_type admin", "Bearer " + rs(claims(tenant_type="admin"), keys.rsa), 401),
    ]
    tampered = rs(claims(), keys.rsa).split(".")
    cases.append(("RS256 tampered payload", "Bearer " + tampered[0] + "." + seg(claims(tenant_id="other")) +
                  "." + tampered[2], 401))
    failures = expect(server, cases)
    assert not failures, "RS256 server (JWT_PUBLIC_KEY_FILE, no JWT_SECRET):\n  " + "\n  ".join(failures)


def test_es256_public_key_server(start_findash, keys):
    server = start_findash(JWT_PUBLIC_KEY_FILE=keys.ec_pub, JWT_SECRET=None)
    cases = [
        ("ES256 valid (r||s)", "Bearer " + es(claims(), keys.ec), 200),
        ("ES256 valid, organization", "Bearer " + es(claims(tenant_type="organization"), keys.ec), 200),
        # JWS wants the 64-byte r||s form, not DER (RFC 7518 §3.4)
        ("ES256 with a DER signature", "Bearer " + es(claims(), keys.ec, der=True), 401),
        ("ES256 signed by another key", "Bearer " + es(claims(), keys.ec_other), 401),
        ("HS256 signed with the public key PEM", "Bearer " + hs(claims(), secret=pem_bytes(keys.ec_pub)), 401),
        ("HS256 signed with the test secret", "Bearer " + hs(claims()), 401),
        ("RS256 on an EC key", "Bearer " + rs(claims(), keys.rsa), 401),
        ("alg none", "Bearer " + unsigned("none"), 401),
        ("ES256 expired", "Bearer " + es(claims(exp=now_plus(-3600)), keys.ec), 401),
        ("ES256 missing tenant_id", "Bearer " + es(claims(tenant_id=DROP), keys.ec), 401),
        ("ES256 scope without dashboard:read", "Bearer " + es(claims(scope="other"), keys.ec), 403),
    ]
    failures = expect(server, cases)
    assert not failures, "ES256 server (JWT_PUBLIC_KEY_FILE, no JWT_SECRET):\n  " + "\n  ".join(failures)


def test_hs256_server_rejects_public_key_algorithms(findash, keys):
    failures = expect(findash, [
        ("RS256 on the HS256 server", "Bearer " + rs(claims(), keys.rsa), 401),
        ("ES256 on the HS256 server", "Bearer " + es(claims(), keys.ec), 401),
        ("RS256 header over an HMAC signature", "Bearer " + hs(claims(), header={"alg": "RS256", "typ": "JWT"}), 401),
    ])
    assert not failures, "\n  ".join(failures)


def test_issuer_and_audience_checked_when_configured(start_findash):
    server = start_findash(JWT_ISSUER="https://issuer.findash.test", JWT_AUDIENCE="findash-dashboard")
    iss, aud = "https://issuer.findash.test", "findash-dashboard"
    failures = expect(server, [
        ("iss and aud right", "Bearer " + hs(claims(iss=iss, aud=aud)), 200),
        ("aud as a list containing ours", "Bearer " + hs(claims(iss=iss, aud=["other", aud])), 200),
        ("wrong iss", "Bearer " + hs(claims(iss="https://evil.test", aud=aud)), 401),
        ("wrong aud", "Bearer " + hs(claims(iss=iss, aud="other")), 401),
        ("missing iss", "Bearer " + hs(claims(aud=aud)), 401),
        ("missing aud", "Bearer " + hs(claims(iss=iss)), 401),
    ])
    assert not failures, "JWT_ISSUER / JWT_AUDIENCE set:\n  " + "\n  ".join(failures)
