"""A real SMTP server in the test process (aiosmtpd), which the tests stop and start again on the
same port, and which keeps every message it accepted, parsed."""
from __future__ import annotations

import socket
from email import message_from_bytes, policy
from email.header import decode_header, make_header
from email.message import EmailMessage

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class SmtpServer:
    """`url` for ETHICS_SMTP_URL; `messages` the e-mails accepted, in order; `refuse` maps an
    address to the reply its RCPT gets (e.g. "451 4.7.1 try later")."""

    def __init__(self, username: str = "", password: str = ""):
        self.port = free_port()
        self.credentials = (username, password)
        self.messages: list[EmailMessage] = []
        self.raw: list[bytes] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self.logins: list[str] = []
        self.connections = 0  # conversations begun (EHLO)
        self.refuse: dict[str, str] = {}
        self.controller: Controller | None = None

    @property
    def url(self) -> str:
        user = f"{self.credentials[0]}:{self.credentials[1]}@" if self.credentials[0] else ""
        return f"smtp://{user}127.0.0.1:{self.port}"

    def start(self) -> SmtpServer:
        options = {}
        if self.credentials[0]:
            options = {"authenticator": self._authenticate, "auth_require_tls": False}
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port, **options)
        self.controller.start()
        return self

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def _authenticate(self, _server, _session, _envelope, mechanism, data):
        if isinstance(data, LoginPassword) and (data.login.decode(), data.password.decode()) == self.credentials:
            self.logins.append(data.login.decode())
            return AuthResult(success=True)
        return AuthResult(success=False, handled=False)

    async def handle_EHLO(self, _server, session, _envelope, hostname, responses):
        session.host_name = hostname
        self.connections += 1
        return responses

    async def handle_RCPT(self, _server, _session, envelope, address, _options):
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, _server, _session, envelope):
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        self.raw.append(envelope.original_content)
        self.messages.append(message_from_bytes(envelope.original_content, policy=policy.default))
        return "250 Message accepted for delivery"

    def raw_header(self, index: int, name: str) -> str:
        """A header as sent, decoded by RFC 2047 alone (the email package's address parser puts a
        space between two encoded words of one Thai name, which mail programs do not)."""
        return str(make_header(decode_header(message_from_bytes(self.raw[index], policy=policy.compat32)[name])))

    def to(self, address: str) -> list[EmailMessage]:
        return [message for message in self.messages if message["To"] == address]
