"""A real OpenID Connect provider on 127.0.0.1 for the single sign-on tests.

The protocol (authorization code flow with PKCE, client authentication, redirect URI
checks, the signed id_token with nonce and at_hash) is Authlib's; this module only
stores codes and tokens in memory and serves them over HTTP (wsgiref) on a thread.
Whoever the test names with `sign_in_as` is the end user who "logged in" at the
provider; `sign_in_as(None)` makes the provider refuse.
"""

from __future__ import annotations

import json
import os
import secrets
import threading
import time
from dataclasses import dataclass, field
from socketserver import ThreadingMixIn
from typing import Any, ClassVar
from urllib.parse import parse_qsl
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from authlib.oauth2.rfc6749 import AuthorizationServer, ClientMixin, OAuth2Payload, OAuth2Request
from authlib.oauth2.rfc6749.errors import OAuth2Error
from authlib.oauth2.rfc6749.grants import AuthorizationCodeGrant
from authlib.oauth2.rfc6750 import BearerTokenGenerator
from authlib.oauth2.rfc7636 import CodeChallenge
from authlib.oidc.core import UserInfo
from authlib.oidc.core.grants import OpenIDCode
from joserfc.jwk import KeySet, RSAKey
from requests.structures import CaseInsensitiveDict

# Plain HTTP on the loopback address only; Authlib otherwise insists on TLS.
os.environ["AUTHLIB_INSECURE_TRANSPORT"] = "1"


@dataclass
class Client(ClientMixin):
    client_id: str
    client_secret: str
    redirect_uris: list[str]

    def get_client_id(self) -> str:
        return self.client_id

    def get_default_redirect_uri(self) -> str:
        return self.redirect_uris[0]

    def get_allowed_scope(self, scope: str) -> str:
        return " ".join(s for s in (scope or "").split() if s in ("openid", "profile"))

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        return redirect_uri in self.redirect_uris

    def check_client_secret(self, client_secret: str) -> bool:
        return secrets.compare_digest(client_secret, self.client_secret)

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        return method in ("client_secret_post", "client_secret_basic")

    def check_response_type(self, response_type: str) -> bool:
        return response_type == "code"

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type == "authorization_code"


@dataclass
class Code:
    code: str
    client_id: str
    redirect_uri: str
    scope: str
    user: dict[str, Any]
    nonce: str | None
    code_challenge: str | None
    code_challenge_method: str | None
    auth_time: int = field(default_factory=lambda: int(time.time()))

    def get_redirect_uri(self) -> str:
        return self.redirect_uri

    def get_scope(self) -> str:
        return self.scope

    def get_nonce(self) -> str | None:
        return self.nonce

    def get_auth_time(self) -> int:
        return self.auth_time

    def get_acr(self) -> None:
        return None

    def get_amr(self) -> None:
        return None


class Payload(OAuth2Payload):
    def __init__(self, values: dict[str, str]) -> None:
        self._values = values

    @property
    def data(self) -> dict[str, str]:
        return self._values

    @property
    def datalist(self) -> dict[str, list[str]]:
        return {k: [v] for k, v in self._values.items()}


class Request(OAuth2Request):
    def __init__(self, environ: dict[str, Any]) -> None:
        host = environ["HTTP_HOST"]
        query = environ.get("QUERY_STRING", "")
        uri = f"http://{host}{environ['PATH_INFO']}" + (f"?{query}" if query else "")
        headers = CaseInsensitiveDict(
            {k[5:].replace("_", "-"): v for k, v in environ.items() if k.startswith("HTTP_")}
        )
        if environ.get("CONTENT_TYPE"):
            headers["Content-Type"] = environ["CONTENT_TYPE"]
        super().__init__(environ["REQUEST_METHOD"], uri, headers=headers)
        self._args = dict(parse_qsl(query))
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length).decode() if length else ""
        self._form = dict(parse_qsl(body))
        self.payload = Payload({**self._args, **self._form})

    @property
    def args(self) -> dict[str, str]:
        return self._args

    @property
    def form(self) -> dict[str, str]:
        return self._form


class Provider(AuthorizationServer):
    def __init__(self, issuer: str, client: Client) -> None:
        super().__init__(scopes_supported=["openid", "profile"])
        self.issuer = issuer
        self.client = client
        self.key = RSAKey.generate_key(2048, parameters={"use": "sig", "alg": "RS256"})
        self.key.ensure_kid()
        self.codes: dict[str, Code] = {}
        self.tokens: dict[str, dict[str, Any]] = {}
        self.user: dict[str, Any] | None = None
        self.audience: str | None = None  # a test may sign tokens for another client
        provider = self

        class Grant(AuthorizationCodeGrant):
            TOKEN_ENDPOINT_AUTH_METHODS: ClassVar = ["client_secret_post", "client_secret_basic"]

            def save_authorization_code(self, code: str, request: OAuth2Request) -> None:
                data = request.payload.data
                provider.codes[code] = Code(
                    code=code,
                    client_id=request.client.get_client_id(),
                    redirect_uri=data.get("redirect_uri", ""),
                    scope=request.client.get_allowed_scope(data.get("scope", "")),
                    user=request.user,
                    nonce=data.get("nonce"),
                    code_challenge=data.get("code_challenge"),
                    code_challenge_method=data.get("code_challenge_method"),
                )

            def query_authorization_code(self, code: str, client: Client) -> Code | None:
                found = provider.codes.get(code)
                return found if found and found.client_id == client.get_client_id() else None

            def delete_authorization_code(self, authorization_code: Code) -> None:
                provider.codes.pop(authorization_code.code, None)

            def authenticate_user(self, authorization_code: Code) -> dict[str, Any]:
                return authorization_code.user

        class IdToken(OpenIDCode):
            def exists_nonce(self, nonce: str, request: OAuth2Request) -> bool:
                return any(c.nonce == nonce for c in provider.codes.values())

            def resolve_client_private_key(self, client: Client) -> RSAKey:
                return provider.key

            def get_client_algorithm(self, client: Client) -> str:
                return "RS256"

            def get_client_claims(self, client: Client) -> dict[str, Any]:
                return {"iss": provider.issuer, "aud": [provider.audience or client.client_id]}

            def get_encode_header(self, client: Client) -> dict[str, str]:
                return {"alg": "RS256", "kid": provider.key.kid}

            def generate_user_info(self, user: dict[str, Any], scope: str) -> UserInfo:
                return UserInfo(sub=user["sub"])

        self.register_grant(Grant, [CodeChallenge(required=True), IdToken(require_nonce=True)])
        self.register_token_generator(
            "default", BearerTokenGenerator(lambda **kw: secrets.token_urlsafe(24))
        )

    # -- what AuthorizationServer leaves to the framework --------------------------
    def query_client(self, client_id: str) -> Client | None:
        return self.client if client_id == self.client.client_id else None

    def save_token(self, token: dict[str, Any], request: OAuth2Request) -> None:
        self.tokens[token["access_token"]] = request.user

    def create_oauth2_request(self, request: Any) -> OAuth2Request:
        return request

    def handle_response(self, status: int, body: Any, headers: list) -> tuple:
        return status, body, headers

    def send_signal(self, name: str, *args: Any, **kwargs: Any) -> None:
        pass

    # -- HTTP ----------------------------------------------------------------------
    def __call__(self, environ: dict[str, Any], start_response: Any) -> list[bytes]:
        request = Request(environ)
        path = environ["PATH_INFO"]
        if path == "/authorize":
            try:
                grant = self.get_consent_grant(request, end_user=self.user)
                status, body, headers = self.create_authorization_response(
                    request, grant_user=self.user, grant=grant
                )
            except OAuth2Error as error:
                status, body, headers = self.handle_error_response(request, error)
        elif path == "/token" and request.method == "POST":
            status, body, headers = self.create_token_response(request)
        elif path == "/userinfo":
            token = request.headers.get("Authorization", "").removeprefix("Bearer ")
            user = self.tokens.get(token)
            status, headers = (200, []) if user else (401, [])
            body = user if user else {"error": "invalid_token"}
        elif path == "/jwks":
            status, body, headers = 200, KeySet([self.key]).as_dict(private=False), []
        else:
            status, body, headers = 404, {"error": "not_found"}, []
        if not isinstance(body, (str, bytes)):
            body = json.dumps(body)
            headers = [*headers, ("Content-Type", "application/json")]
        data = body.encode() if isinstance(body, str) else body
        start_response(f"{status} {'OK' if status < 400 else 'Error'}", headers)
        return [data]


class _Server(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


class RunningProvider:
    """The provider served on a free port of 127.0.0.1 until `stop()`."""

    def __init__(self, client_id: str, client_secret: str, redirect_uri: str) -> None:
        self.server = make_server(
            "127.0.0.1", 0, None, server_class=_Server, handler_class=_QuietHandler
        )
        self.issuer = f"http://127.0.0.1:{self.server.server_port}"
        self.provider = Provider(self.issuer, Client(client_id, client_secret, [redirect_uri]))
        self.server.set_app(self.provider)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def sign_in_as(self, claims: dict[str, Any] | None) -> None:
        self.provider.user = claims

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
