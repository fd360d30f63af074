"""Oversight (督导): the leaders' supervision of the programme, one key from
the overview (``s``).  A short menu (``tui.menu``): 1 supervision (each
helper's own work and score, 督导赋分), 2 the month's notice and the
correction items (通报、整改), 3 referrals (转介), 4 cases proposed as
transformed (转化), 5 the organisations the school works with.
"""

from __future__ import annotations

from tui.menu import MenuScreen, menu_bindings

# (section, the screen's module and class); each opens with no arguments
SECTIONS = (("supervision", "screens.supervision", "SupervisionScreen"),
            ("corrections", "screens.corrections", "CorrectionsScreen"),
            ("referrals", "screens.referrals", "ReferralsScreen"),
            ("transformations", "screens.transformations", "TransformationsScreen"),
            ("organisations", "screens.organisations", "OrganisationsScreen"))


class OversightScreen(MenuScreen):
    AREA = "oversight"
    SECTIONS = SECTIONS
    BINDINGS = menu_bindings(AREA, SECTIONS)
