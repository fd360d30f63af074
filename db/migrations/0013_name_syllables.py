"""Schema version 13: names' search keys keep their syllables apart.

``student.pinyin`` and ``staff.pinyin`` hold each reading of the name with its
syllables joined by ``'`` (``zhang'wei|chang'wei``), so that a search matches
at syllable boundaries (``hubing`` finds 胡兵, not 朱兵云), and the readings
come from bangfu's tables (surnames read as surnames, compound surnames,
given names read two ways, ü as v, u and yu: ``db.pinyin``).  Every name's
keys are computed again; no other value changes.

Unlike the other scripts this one is not a frozen copy: it computes the keys
with ``db.pinyin`` as bangfu has it when it runs, which is what the file must
hold (a later change of the readings comes with a migration of its own).  Not
row-preserving for ``bangfu check`` (``ROW_PRESERVING_MIGRATIONS``): journal
lines written before it are not compared with the rows it rewrote.
"""


def up(migrator, db):
    from db.pinyin import refresh_name_keys

    for table in ("student", "staff"):
        refresh_name_keys(db, table)
