"""A small OpenID Connect provider shaped like Microsoft Entra ID, for tests, on 127.0.0.1.

It serves discovery, JWKS, authorisation and token endpoints under
``http://127.0.0.1:<port>/<tenant>``, the same layout as
``https://login.microsoftonline.com/<tenant>``, and signs ID tokens with its own
RSA key. There is no sign-in form: the authorisation endpoint signs in whoever
the test put in ``provider.identity`` and sends the browser straight back with a code.
``provider.tamper`` lets a test spoil the next token (see ``_id_token``).
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlparse

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

TENANT = "7f3c1c9e-0d1a-4c55-9d1e-2b8f6a1e4d10"
CLIENT_ID = "3b9e7a52-5a8c-4f2e-9f63-0c1d2e3f4a5b"
CLIENT_SECRET = "test-client-secret"  # noqa: S105


def _new_key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


class Provider:
    def __init__(self):
        self.key = _new_key()
        self.kid = secrets.token_hex(8)
        self.identity: dict = {}
        self.tamper: str = ""
        self.codes: dict[str, dict] = {}
        self.token_requests = 0
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    # --- addresses ------------------------------------------------------------
    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}"

    @property
    def authority(self) -> str:
        return f"{self.base}/{TENANT}"

    @property
    def issuer(self) -> str:
        return f"{self.authority}/v2.0"

    def discovery(self) -> dict:
        return {
            "issuer": self.issuer,
            "authorization_endpoint": f"{self.authority}/oauth2/v2.0/authorize",
            "token_endpoint": f"{self.authority}/oauth2/v2.0/token",
            "jwks_uri": f"{self.authority}/discovery/v2.0/keys",
            "response_types_supported": ["code"],
            "subject_types_supported": ["pairwise"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "code_challenge_methods_supported": ["S256"],
            "scopes_supported": ["openid", "profile", "email"],
        }

    def jwks(self) -> dict:
        jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key()))
        return {"keys": [{**jwk, "kid": self.kid, "use": "sig", "alg": "RS256"}]}

    def start(self) -> Provider:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    # --- protocol -------------------------------------------------------------
    def authorize(self, query: dict) -> tuple[int, dict]:
        if query.get("client_id") != CLIENT_ID or query.get("response_type") != "code":
            return 400, {"error": "unauthorized_client"}
        code = secrets.token_urlsafe(24)
        self.codes[code] = {
            "redirect_uri": query["redirect_uri"], "nonce": query.get("nonce"),
            "challenge": query.get("code_challenge"), "identity": dict(self.identity),
        }
        target = f"{query['redirect_uri']}?{urlencode({'code': code, 'state': query['state']})}"
        return 302, {"Location": target}

    def token(self, form: dict) -> tuple[int, dict]:
        self.token_requests += 1
        grant = self.codes.pop(form.get("code", ""), None)  # a code works once
        if (
            grant is None or form.get("grant_type") != "authorization_code"
            or form.get("client_id") != CLIENT_ID or form.get("client_secret") != CLIENT_SECRET
            or form.get("redirect_uri") != grant["redirect_uri"]
        ):
            return 400, {"error": "invalid_grant"}
        verifier = form.get("code_verifier", "")
        challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
        if grant["challenge"] and challenge != grant["challenge"]:
            return 400, {"error": "invalid_grant", "error_description": "PKCE verification failed"}
        return 200, {"token_type": "Bearer", "expires_in": 3600, "access_token": secrets.token_urlsafe(24),
                     "id_token": self._id_token(grant)}

    def _id_token(self, grant: dict) -> str:
        now = int(time.time())
        claims = {
            "iss": self.issuer, "aud": CLIENT_ID, "iat": now, "nbf": now, "exp": now + 3600,
            "tid": TENANT, "nonce": grant["nonce"], "ver": "2.0", **grant["identity"],
        }
        claims.setdefault("sub", "pairwise-" + str(claims.get("oid", "")))
        key = self.key
        if self.tamper == "other-key":  # signed by someone else, claiming our key id
            key = _new_key()
        if self.tamper == "wrong-audience":
            claims["aud"] = "another-application"
        if self.tamper == "expired":
            claims.update(iat=now - 7200, nbf=now - 7200, exp=now - 3600)
        token = jwt.encode(claims, key, algorithm="RS256", headers={"kid": self.kid})
        if self.tamper == "edited":  # a valid token whose payload was changed after signing
            header, _, signature = token.split(".")
            forged = {**claims, "oid": "00000000-0000-0000-0000-00000000beef"}
            body = base64.urlsafe_b64encode(json.dumps(forged).encode()).rstrip(b"=").decode()
            token = f"{header}.{body}.{signature}"
        return token


def _handler(provider: Provider):
    prefix = f"/{TENANT}"

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):  # keep test output quiet
            pass

        def _send(self, status: int, body: dict | None = None, headers: dict | None = None):
            self.send_response(status)
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            data = json.dumps(body or {}).encode()
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self):  # noqa: N802 - the http.server API
            url = urlparse(self.path)
            query = {k: v[0] for k, v in parse_qs(url.query).items()}
            if url.path == f"{prefix}/v2.0/.well-known/openid-configuration":
                self._send(200, provider.discovery())
            elif url.path == f"{prefix}/discovery/v2.0/keys":
                self._send(200, provider.jwks())
            elif url.path == f"{prefix}/oauth2/v2.0/authorize":
                status, headers = provider.authorize(query)
                self._send(status, {} if status == 302 else headers, headers if status == 302 else None)
            else:
                self._send(404, {"error": "not_found"})

        def do_POST(self):  # noqa: N802
            url = urlparse(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
            if url.path == f"{prefix}/oauth2/v2.0/token":
                self._send(*provider.token(form))
            else:
                self._send(404, {"error": "not_found"})

    return Handler
