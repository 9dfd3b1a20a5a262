"""An OpenID Connect provider for tests, served on loopback: discovery, a JWKS of an RSA key
made here, an authorize endpoint and a token endpoint answering with an ID token signed by that
key (joserfc, which Authlib itself uses; authlib.jose is deprecated)."""

from __future__ import annotations

import base64
import secrets
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from flask import Flask, jsonify, redirect, request
from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey
from werkzeug.serving import make_server

CLIENT_ID = "ofsted-csc-test"
CLIENT_SECRET = "client-secret-not-for-pages-0123456789"


@dataclass
class Provider:
    """The identity provider: what it was asked, and how the test wants it to answer."""

    issuer: str = ""
    key: RSAKey = field(default_factory=lambda: RSAKey.generate_key(2048, parameters={"kid": "k1"}))
    sign_with: RSAKey | None = None  # another key: a forged token
    claims: dict[str, Any] = field(default_factory=dict)  # changes; None removes a claim
    raw_id_token: str | None = None  # given as it is instead of a signed one
    email: str = "ed.itor@council.example"
    codes: dict[str, dict[str, str]] = field(default_factory=dict)
    token_requests: int = 0
    end_session: bool = True  # whether discovery gives an end_session_endpoint
    id_tokens: list[str] = field(default_factory=list)  # every ID token given, in order

    def id_token(self, asked: dict[str, str]) -> str:
        if self.raw_id_token is not None:
            return self.raw_id_token
        now = int(time.time())
        claims: dict[str, Any] = {
            "iss": self.issuer,
            "sub": "248289761001",
            "aud": CLIENT_ID,
            "exp": now + 300,
            "iat": now,
            "nonce": asked.get("nonce"),
            "email": self.email,
            "email_verified": True,
            "name": "Ed Itor",
        }
        for name, value in self.claims.items():
            if value is None:
                claims.pop(name, None)
            else:
                claims[name] = value
        key = self.sign_with or self.key
        return jwt.encode({"alg": "RS256", "kid": key.kid or "k1"}, claims, key)


def provider_app(provider: Provider) -> Flask:
    app = Flask("provider")

    @app.get("/.well-known/openid-configuration")
    def discovery() -> Any:
        return jsonify(
            issuer=provider.issuer,
            authorization_endpoint=f"{provider.issuer}/authorize",
            token_endpoint=f"{provider.issuer}/token",
            jwks_uri=f"{provider.issuer}/jwks",
            response_types_supported=["code"],
            subject_types_supported=["public"],
            id_token_signing_alg_values_supported=["RS256"],
            token_endpoint_auth_methods_supported=["client_secret_basic"],
            **(
                {"end_session_endpoint": f"{provider.issuer}/logout?ui=plain"}
                if provider.end_session
                else {}
            ),
        )

    @app.get("/jwks")
    def jwks() -> Any:
        return jsonify(KeySet([provider.key]).as_dict(private=False))

    @app.get("/authorize")
    def authorize() -> Any:
        asked = request.args.to_dict()
        assert asked["client_id"] == CLIENT_ID and asked["response_type"] == "code"
        assert "openid" in asked["scope"].split() and asked.get("nonce") and asked.get("state")
        assert asked.get("code_challenge_method") == "S256"
        code = secrets.token_urlsafe(16)
        provider.codes[code] = asked
        return redirect(
            f"{asked['redirect_uri']}?{urlencode({'code': code, 'state': asked['state']})}"
        )

    @app.post("/token")
    def token() -> Any:
        provider.token_requests += 1
        basic = request.headers.get("Authorization", "")
        expected = base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
        asked = provider.codes.pop(request.form.get("code", ""), None)
        if basic != f"Basic {expected}" or asked is None:
            return jsonify(error="invalid_grant"), 400
        if request.form.get("redirect_uri") != asked["redirect_uri"]:
            return jsonify(error="invalid_grant"), 400
        assert request.form.get("code_verifier")
        provider.id_tokens.append(provider.id_token(asked))
        return jsonify(
            access_token=secrets.token_urlsafe(16),
            token_type="Bearer",
            expires_in=300,
            id_token=provider.id_tokens[-1],
        )

    return app


def serve_provider() -> Iterator[Provider]:
    """The provider on a free loopback port until the generator is closed."""
    provider = Provider()
    server = make_server("127.0.0.1", 0, provider_app(provider), threaded=True)
    provider.issuer = f"http://127.0.0.1:{server.server_port}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield provider
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()
