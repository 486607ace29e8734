import time
import uuid

from django.contrib import messages
from django.shortcuts import redirect
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


class RepeatedSubmissionMiddleware:
    """The other half of save_or_show's one-time form token (ADR 0016).

    After a form saves, keep where its response led; when the same form is sent again (a double click, a page
    reloaded, a slow connection sent twice), send the browser there instead of saving it again. A repeat that
    arrives while the first is still finishing waits a moment for it."""

    WAIT_SECONDS = 3.0

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        token = getattr(request, "submission_token", None)
        if token and response.status_code in (301, 302, 303) and response.has_header("Location"):
            from casefile.core.services import note_where_it_led

            note_where_it_led(token, response["Location"])
        return response

    def process_exception(self, request, exception):
        from casefile.core.forms import RepeatedSubmission

        if not isinstance(exception, RepeatedSubmission):
            return None
        used = exception.used
        deadline = time.monotonic() + self.WAIT_SECONDS
        while not used.redirect_to and time.monotonic() < deadline:
            time.sleep(0.1)
            used.refresh_from_db()
        messages.info(request, "You sent this form more than once. It has been saved once")
        return redirect(used.redirect_to or request.get_full_path())


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
