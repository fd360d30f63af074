"""Families (家校共育): the programme's work with families as a group, one key
from the roster (ctrl+g).  A short menu (``tui.menu``): 1 family events and
their attendance, 2 families' feedback, 3 satisfaction surveys, 4
recognitions, 5 holidays.
"""

from __future__ import annotations

from tui.menu import MenuScreen, menu_bindings

# (section, the screen's module and class); each opens with no arguments
SECTIONS = (("events", "screens.family_events", "EventsScreen"),
            ("feedback", "screens.feedback", "FeedbackScreen"),
            ("surveys", "screens.surveys", "SurveysScreen"),
            ("recognitions", "screens.recognitions", "RecognitionsScreen"),
            ("holidays", "screens.holidays", "HolidaysScreen"))


class FamiliesScreen(MenuScreen):
    AREA = "families"
    SECTIONS = SECTIONS
    BINDINGS = menu_bindings(AREA, SECTIONS)
