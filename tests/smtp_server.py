"""A real SMTP server on the loopback interface (aiosmtpd), for tests that send
email the way production does: through smtplib, from another process.

It keeps what it accepted and can be told to refuse (a 5xx answer), to stall
(hold every new conversation after MAIL FROM until released), or to drop the
connection without an answer."""

import asyncio
import email
import email.policy
import logging
import socket
import threading
import time
from dataclasses import dataclass

from aiosmtpd.controller import Controller

HOST = "127.0.0.1"

logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every command at INFO


@dataclass(frozen=True)
class Received:
    mail_from: str
    rcpt_tos: list[str]
    message: email.message.EmailMessage


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


class LoopbackSMTP:
    def __init__(self) -> None:
        self.port = free_port()
        self.host = HOST
        self._lock = threading.Lock()
        self._controller = Controller(self, hostname=HOST, port=self.port)
        self.reset()

    # What a test tells it to do.

    def reset(self) -> None:
        with self._lock:
            self._received: list[Received] = []
            self._refusals = 0
            self._refusal = "550 5.7.1 Refused by the test server"
            self._disconnects = 0
            self._stalled = False
            self.stalled_sessions = 0

    def refuse(self, times: int = 1, answer: str = "550 5.7.1 Refused by the test server") -> None:
        """Answer the next `times` messages' DATA with `answer`."""
        with self._lock:
            self._refusals, self._refusal = times, answer

    def disconnect(self, times: int = 1) -> None:
        """Drop the next `times` conversations after MAIL FROM, without a word."""
        with self._lock:
            self._disconnects = times

    def stall(self) -> None:
        """Hold every conversation after MAIL FROM until release()."""
        with self._lock:
            self._stalled = True

    def release(self) -> None:
        with self._lock:
            self._stalled = False

    # What a test reads.

    @property
    def received(self) -> list[Received]:
        with self._lock:
            return list(self._received)

    def wait_for(self, count: int, timeout: float = 10) -> list[Received]:
        """At least `count` messages, waiting up to `timeout` seconds for them."""
        deadline = time.monotonic() + timeout
        while len(self.received) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        return self.received

    def wait_until_stalled(self, timeout: float = 10) -> bool:
        deadline = time.monotonic() + timeout
        while not self.stalled_sessions and time.monotonic() < deadline:
            time.sleep(0.05)
        return bool(self.stalled_sessions)

    def environment(self) -> dict[str, str]:
        """What showcase/settings.py reads to send through this server."""
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": self.host,
            "EMAIL_PORT": str(self.port),
            "EMAIL_USE_TLS": "false",
            "EMAIL_HOST_USER": "",
            "EMAIL_HOST_PASSWORD": "",
        }

    def start(self) -> None:
        self._controller.start()

    def stop(self) -> None:
        self.release()
        self._controller.stop()

    # aiosmtpd's handler hooks, run in the server's own thread.

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        with self._lock:
            drop = self._disconnects > 0
            self._disconnects -= drop
            stall = self._stalled
            self.stalled_sessions += stall
        if drop:
            server.transport.close()
            return "421 4.3.0 Closing (never seen by the client)"
        while stall:
            await asyncio.sleep(0.05)
            with self._lock:
                stall = self._stalled
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self._lock:
            if self._refusals > 0:
                self._refusals -= 1
                return self._refusal
            message = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
            self._received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), message))
        return "250 2.0.0 Accepted"
