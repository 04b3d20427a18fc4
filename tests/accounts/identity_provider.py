"""A local OpenID provider for the tests (the province's identity service stands in):
authorization codes issued to whoever the test says logged in, ID tokens signed RS256
with a key published at its JWKS endpoint, and a userinfo endpoint; real HTTP, in a thread."""

from __future__ import annotations

import base64
import json
import secrets
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

CLIENT_ID, CLIENT_SECRET = "shenpi", "local-provider-secret"


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class IdentityProvider:
    def __init__(self):
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.signing_key = self.key  # a test may sign with another key to forge a token
        self.codes: dict[str, dict] = {}  # code -> {"claims", "nonce"}
        self.tokens: dict[str, dict] = {}  # access token -> claims
        self.token_requests: list[dict] = []
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _json(self, status, body):
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):  # noqa: N802
                if self.path.startswith("/jwks"):
                    return self._json(200, {"keys": [provider.jwk()]})
                if self.path.startswith("/userinfo"):
                    token = self.headers.get("authorization", "").removeprefix("Bearer ")
                    claims = provider.tokens.get(token)
                    return self._json(200 if claims else 401, claims or {"error": "invalid"})
                return self._json(404, {})

            def do_POST(self):  # noqa: N802
                length = int(self.headers.get("content-length") or 0)
                form = dict(urllib.parse.parse_qsl(self.rfile.read(length).decode()))
                provider.token_requests.append(form)
                grant = provider.codes.pop(form.get("code", ""), None)
                if grant is None or form.get("client_secret") != CLIENT_SECRET:
                    return self._json(400, {"error": "invalid_grant"})
                access = secrets.token_urlsafe(16)
                provider.tokens[access] = grant["claims"]
                return self._json(
                    200,
                    {
                        "access_token": access,
                        "token_type": "Bearer",
                        "id_token": provider.id_token(grant["claims"], grant["nonce"]),
                    },
                )

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    def settings(self) -> dict:
        return {
            "SHENPI_OIDC": True,
            "OIDC_RP_CLIENT_ID": CLIENT_ID,
            "OIDC_RP_CLIENT_SECRET": CLIENT_SECRET,
            "OIDC_OP_AUTHORIZATION_ENDPOINT": f"{self.url}/authorize",
            "OIDC_OP_TOKEN_ENDPOINT": f"{self.url}/token",
            "OIDC_OP_USER_ENDPOINT": f"{self.url}/userinfo",
            "OIDC_OP_JWKS_ENDPOINT": f"{self.url}/jwks",
        }

    def jwk(self) -> dict:
        numbers = self.key.public_key().public_numbers()
        return {
            "kty": "RSA", "alg": "RS256", "use": "sig", "kid": "test",
            "n": b64(numbers.n.to_bytes((numbers.n.bit_length() + 7) // 8, "big")),
            "e": b64(numbers.e.to_bytes(3, "big")),
        }  # fmt: skip

    def id_token(self, claims: dict, nonce: str) -> str:
        header = {"alg": "RS256", "typ": "JWT", "kid": "test"}
        now = int(time.time())
        body = {"iss": self.url, "aud": CLIENT_ID, "sub": claims["sub"], "iat": now,
                "exp": now + 300, "nonce": nonce}  # fmt: skip
        signing_input = f"{b64(json.dumps(header).encode())}.{b64(json.dumps(body).encode())}"
        signature = self.signing_key.sign(
            signing_input.encode(), padding.PKCS1v15(), hashes.SHA256()
        )
        return f"{signing_input}.{b64(signature)}"

    def log_in(self, authorize_url: str, claims: dict) -> str:
        """The person logs in at the provider: the callback URL it sends them back to."""
        query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(authorize_url).query))
        assert query["client_id"] == CLIENT_ID and query["response_type"] == "code"
        code = secrets.token_urlsafe(12)
        self.codes[code] = {"claims": claims, "nonce": query.get("nonce", "")}
        back = urllib.parse.urlencode({"code": code, "state": query["state"]})
        return f"{urllib.parse.urlsplit(query['redirect_uri']).path}?{back}"
