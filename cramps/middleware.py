"""Headers for every response: no caching of a signed-in person's pages, and a Permissions-Policy."""

from django.conf import settings
from django.utils.cache import add_never_cache_headers


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
        if settings.PERMISSIONS_POLICY:
            response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response
