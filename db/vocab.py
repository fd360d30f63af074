"""The programme's fixed vocabularies, as stable codes.

Labels in both languages live in ``tui/i18n/vocab.py`` (``vocab.<group>.<code>``);
the database stores only these codes.
"""

from __future__ import annotations

CASE_STATUSES = ("identified", "active", "improving", "transformed", "closed")
OPEN_STATUSES = ("identified", "active", "improving")

RISK_LEVELS = ("low", "medium", "high")

CATEGORIES = ("academic", "behaviour", "psychological", "interpersonal",
              "attendance", "economic")

CAUSES = (
    # the student
    "foundation", "methods", "habits", "confidence", "attention", "self_control",
    # the family
    "parenting", "grandparent_care", "left_behind", "poverty", "family_change",
    # the school, society, health
    "teaching", "relationships", "peers", "society", "health", "other",
)

FAMILY_FLAGS = ("left_behind_one", "left_behind_both", "grandparent_care",
                "single_parent", "low_income", "migrant", "orphan", "only_child")

RELATIONS = ("father", "mother", "grandfather", "grandmother", "guardian", "other")
# one letter each, typed in the student editor
RELATION_KEYS = {"f": "father", "m": "mother", "g": "grandfather", "n": "grandmother",
                 "u": "guardian", "o": "other"}

# what happened to a case besides its entries (case_event, schema version 8)
CASE_EVENTS = ("open", "close", "reopen", "transfer_class", "transfer_school",
               "transformed")  # v15: a coordinator confirmed the case transformed (转化)

ASSIGNMENT_ROLES = ("lead", "tutor", "counsellor", "volunteer")

GOAL_HORIZONS = ("short", "long")
GOAL_STATUSES = ("open", "met", "partly", "not_met", "dropped")

CONTACT_KINDS = ("family", "student", "colleague")
# one letter each, typed in the contact form and accepted by the CLI
KIND_KEYS = {"f": "family", "s": "student", "c": "colleague"}

CHANNELS = ("phone", "wechat", "sms", "face", "home_visit", "parent_meeting",
            "group_chat", "other")
CHANNEL_KEYS = {"p": "phone", "w": "wechat", "s": "sms", "f": "face",
                "h": "home_visit", "m": "parent_meeting", "g": "group_chat",
                "o": "other"}

# what a roster file's columns can be taken as (db.roster_file; ``--map COLUMN=FIELD``)
ROSTER_FIELDS = (
    "name", "student_no", "aux_no", "class_no", "gender", "birth_date", "grade", "class",
    "address", "village", "phone", "left_behind", "only_child", "orphan", "migrant",
    "guardian1_name", "guardian1_relation", "guardian1_phone",
    "guardian2_name", "guardian2_relation", "guardian2_phone",
    "father_name", "father_phone", "mother_name", "mother_phone",
    "member1_name", "member1_relation", "member1_phone",
    "member2_name", "member2_relation", "member2_phone",
    "id_number",
)

STAFF_ROLES = ("admin", "coordinator", "class_teacher", "teacher", "counsellor",
               "volunteer")


def split_codes(value: str | None) -> list[str]:
    return [c for c in (value or "").split(",") if c]


def join_codes(codes, allowed) -> str:
    """Store a multi-select as a comma list in the vocabulary's own order."""
    chosen = set(codes)
    unknown = chosen - set(allowed)
    if unknown:
        raise ValueError(f"unknown code(s): {', '.join(sorted(unknown))}")
    return ",".join(c for c in allowed if c in chosen)

# why an entry (or a case-file field) is confidential: only counsellors,
# administrators and the case's lead read it (db.access)
RESTRICTED_REASONS = ("counselling", "family_conflict", "referral")
RESTRICTED_KEYS = {"c": "counselling", "f": "family_conflict", "r": "referral"}
# one letter per staff role, typed in the staff screen (F9)
ROLE_KEYS = {"a": "admin", "o": "coordinator", "h": "class_teacher", "t": "teacher",
             "c": "counsellor", "v": "volunteer"}

# families as a group (schema version 14)
HOLIDAY_KINDS = ("winter", "summer", "day_off", "other")
EVENT_KINDS = ("parent_school", "parent_meeting", "focus_meeting", "workshop", "open_day")
FEEDBACK_KINDS = ("suggestion", "complaint", "question", "praise")
FEEDBACK_CHANNELS = ("box", "phone", "wechat", "meeting", "survey", "visit", "other")
RECOGNISED = ("family", "student", "staff")
# when a rule asks for entries (db.workflow.Rule.during)
RULE_SEASONS = ("", "school", "holiday")

# the programme's oversight (schema version 15)
ORGANISATION_KINDS = ("counselling_centre", "hospital", "civil_affairs", "womens_federation",
                      "police", "volunteer_group", "village", "other")
REFERRAL_STATUSES = ("sent", "accepted", "seen", "closed")
CONSENTS = ("given", "refused", "pending")  # the guardian's consent to a referral
TRANSFORMATION_STATUSES = ("proposed", "confirmed", "declined")
