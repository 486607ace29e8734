"""The authority's front-door standards, read from the Django setting CASEFILE_FRONT_DOOR, e.g.

    CASEFILE_FRONT_DOOR = {"open_limit_working_days": 3, "office_hours": ["08:30", "17:00"],
                           "rag_working_hours": {"red": 2, "amber": 8, "green": 24},
                           "threshold_levels": [{"code": "A", "label": "Universal"}, ...]}

Unknown keys and bad values stop the service at the first page that reads them, with the setting named.
"""

from __future__ import annotations

from django.conf import settings as django_settings

from casefile.rules.front_door import FrontDoorSettings


def front_door_settings() -> FrontDoorSettings:
    return FrontDoorSettings.from_mapping(django_settings.CASEFILE_FRONT_DOOR or {})
