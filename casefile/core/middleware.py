import uuid


class RequestIdMiddleware:
    """Give every request an id that audit events carry, so one request's events can be traced together."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = str(uuid.uuid4())
        response = self.get_response(request)
        response["X-Request-Id"] = request.request_id
        return response
