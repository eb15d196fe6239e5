"""Who is asking, as every limit on the site counts them: the client's address, and
the one mailbox behind an email address.

Every limit (the API's rate, sign-in links, asking for a council's domain, the
contact relay, admin sign-in, large exports) reads the client through
``client_address`` and nothing else, so that one setting decides for all of them
how far a forwarded header is believed."""

import ipaddress

from django.conf import settings
from django.http import HttpRequest

# One IPv6 subscriber is usually given a whole /64 and can use any address in it.
IPV6_PREFIX = 64


def client_address(request: HttpRequest) -> str | None:
    """The client's address, as limits count it.

    With TRUSTED_PROXY_COUNT proxies in front of the site (the load balancer and any
    others), each of which appends the address it was reached from to
    X-Forwarded-For, the client is the entry that many places from the right.
    Everything to its left was written by the client itself and is never believed.
    With the default, 0, the header is not read at all and the client is
    REMOTE_ADDR. (Fewer entries than proxies means the request came in through an
    inner proxy, and the leftmost entry is the one it wrote.) The count is only as
    good as the network: the web servers must not be reachable except through the
    proxies.

    IPv6 clients are counted by their /64 (returned as its first address), and IPv4
    addresses mapped into IPv6 as the IPv4 address. None when there is no usable
    address at all."""
    remote = request.META.get("REMOTE_ADDR", "")
    chosen = remote
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies > 0:
        hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        hops = [hop for hop in hops if hop]
        if hops:
            chosen = hops[-min(proxies, len(hops))]
    return _as_counted(chosen) or _as_counted(remote)


def _as_counted(value: str) -> str | None:
    text = value.strip()
    if text.startswith("[") and "]" in text:  # [2001:db8::1]:443
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:  # 203.0.113.5:51234, as some proxies write it
        text = text.partition(":")[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if address.version == 4:
        return str(address)
    if address.ipv4_mapped:
        return str(address.ipv4_mapped)
    return str(ipaddress.IPv6Network((int(address), IPV6_PREFIX), strict=False).network_address)


def person_email(email: str) -> str:
    """The mailbox an address reaches: lower case, and without a plus-tag
    (jo+anything@council.gov.uk is jo@council.gov.uk), so that one person is one
    account and one allowance however many tags they write. Dots are kept: at a
    council, jo.bloggs@ and jobloggs@ may well be two people."""
    local, at, domain = email.strip().lower().rpartition("@")
    if not at:
        return email.strip().lower()
    return f"{local.split('+', 1)[0] or local}@{domain}"
