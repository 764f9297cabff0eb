#!/usr/bin/env python3
"""Mint HS256 tokens for many tenants at once, exactly as `findash token` does.

    tokens.py TTL_SECONDS < "tenant_type tenant_id" lines > one token per line

The header and the claims (key order included) are those `findash token` prints
(Sources/FindashApp/Commands.swift); the secret is $JWT_SECRET. `findash token` costs ~25 ms a
process, so 2,000 tenants would take most of a minute; this takes a fraction of a second.
bench/run.sh checks that the server accepts one of these before using them.
"""
import base64
import hashlib
import hmac
import json
import os
import sys
import time


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def main() -> int:
    ttl = int(sys.argv[1])
    secret = os.environ["JWT_SECRET"].encode()
    now = int(time.time())
    header = b64url(b'{"alg":"HS256","typ":"JWT"}')
    out = []
    for line in sys.stdin:
        fields = line.split()
        if len(fields) < 2:
            continue
        tenant_type, tenant_id = fields[0], fields[1]
        claims = ('{"sub":%s,"tenant_type":%s,"tenant_id":%s,"scope":"dashboard:read","iat":%d,"exp":%d}'
                  % (json.dumps(tenant_id), json.dumps(tenant_type), json.dumps(tenant_id), now, now + ttl))
        signing_input = header + "." + b64url(claims.encode())
        signature = hmac.new(secret, signing_input.encode(), hashlib.sha256).digest()
        out.append(signing_input + "." + b64url(signature))
    sys.stdout.write("\n".join(out) + ("\n" if out else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
