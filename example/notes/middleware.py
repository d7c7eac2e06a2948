import zoneinfo

from django.utils import timezone


class VisitorTimeZone:
    """Times in the visitor's time zone, which notes/timezone.js stores in the "tz" cookie
    (Django's recipe for selecting the current time zone); UTC until it has."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        zone = _zone(request.COOKIES.get("tz", ""))
        if zone is None:
            timezone.deactivate()
        else:
            timezone.activate(zone)
        return self.get_response(request)


def _zone(name):
    if not name:
        return None
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None
