import uuid

from django.utils.cache import patch_cache_control


class RequestIdMiddleware:
    """Give every request an id that audit events carry, so one request's events can be traced together."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = str(uuid.uuid4())
        response = self.get_response(request)
        response["X-Request-Id"] = request.request_id
        return response


class NoStoreMiddleware:
    """Nothing sent to a signed-in user is kept by the browser or a proxy: any page may show a child, and a shared
    computer's back button or cache must not show it to the next person. (Signed-out pages show no record.)"""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, no_store=True)
        return response
