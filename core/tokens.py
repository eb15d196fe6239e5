"""Signed links that need no sign-in: each has its own purpose (so a token made
for one link never opens another) and a maximum age (so none lasts forever).

The token says only an id; the view still looks the thing up and checks it.
"""

import datetime
from dataclasses import dataclass

from django.core import signing


@dataclass(frozen=True)
class SignedLink:
    purpose: str  # the salt: changing it invalidates every link already sent
    max_age: datetime.timedelta

    def make(self, **data: int | str) -> str:
        return signing.dumps(data, salt=self.purpose, compress=True)

    def read(self, token: str) -> dict | None:
        """What the token says, or None when it was tampered with, made for
        another purpose, or is older than max_age."""
        try:
            data = signing.loads(token, salt=self.purpose, max_age=self.max_age)
        except signing.BadSignature:  # SignatureExpired is a BadSignature
            return None
        return data if isinstance(data, dict) else None
