from django.conf import settings


def service(request):
    return {
        "service_name": settings.SERVICE_NAME,
        "authority_name": settings.AUTHORITY_NAME,
        "demo_mode": settings.DEMO_MODE,
    }
