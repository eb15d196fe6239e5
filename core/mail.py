"""Email as people read it: plain text with links that survive copying.

Python's email library folds any line past 78 characters into quoted-printable
(or base64 for text that is not ASCII), so a sign-in link arrived as `=3D` and
broken lines in the console and in plain-text mail clients. RFC 5322 allows
lines of up to 998 characters, so a plain-text body whose lines fit is sent
as 7-bit or 8-bit text with every line whole."""

from django.core.mail import EmailMessage

MAX_LINE = 998


class PlainEmail(EmailMessage):
    def message(self, **kwargs):
        msg = super().message(**kwargs)
        body = str(self.body)
        if msg.is_multipart() or msg.get_content_type() != "text/plain":
            return msg
        if any(len(line.encode()) > MAX_LINE for line in body.splitlines()):
            return msg  # a line too long for any mail server: leave it folded
        msg.set_content(body, subtype="plain", charset="utf-8", cte="7bit" if body.isascii() else "8bit")
        return msg
