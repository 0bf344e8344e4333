"""Headers for every response (no caching of a signed-in person's pages, a Permissions-Policy),
and forwarded headers believed only from the proxy."""

import ipaddress

from django.conf import settings
from django.utils.cache import add_never_cache_headers


def say_which_features_are_unused(response) -> None:
    """The Permissions-Policy every response carries: the browser features the site never uses."""
    if settings.PERMISSIONS_POLICY:
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)


class PrivateResponseMiddleware:
    """A signed-in person's pages hold health data: no browser or proxy may keep a copy
    (``Cache-Control: no-store``, so the back button after signing out on a shared computer
    shows nothing). Every response also says which browser features the site never uses."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and "Cache-Control" not in response.headers:
            add_never_cache_headers(response)  # no-store (and no-cache, private, max-age=0)
        say_which_features_are_unused(response)
        return response


class ForwardedHeadersMiddleware:
    """X-Forwarded-For and X-Forwarded-Proto are believed only from the proxy.

    With TRUSTED_PROXY_COUNT set, allauth takes the client address from X-Forwarded-For and
    Django takes HTTPS from X-Forwarded-Proto. Anyone who reaches gunicorn directly could send
    both. When TRUSTED_PROXY_ADDRESSES lists the proxy's addresses (or networks), a request
    from anywhere else has those headers removed before anything reads them.
    """

    HEADERS = ("HTTP_X_FORWARDED_FOR", "HTTP_X_FORWARDED_PROTO", "HTTP_X_FORWARDED_HOST", "HTTP_X_REAL_IP")

    def __init__(self, get_response):
        self.get_response = get_response
        self.networks = [ipaddress.ip_network(entry, strict=False) for entry in settings.TRUSTED_PROXY_ADDRESSES]

    def __call__(self, request):
        if self.networks and not self.from_proxy(request.META.get("REMOTE_ADDR", "")):
            for header in self.HEADERS:
                request.META.pop(header, None)
        return self.get_response(request)

    def from_proxy(self, address: str) -> bool:
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            return False
        return any(ip in network for network in self.networks)
