"""Schema version 1: the first bangfu tables.

A frozen copy made from the models of version 1; never edit it.  Python-side
defaults (timestamps) are set by db code, not by the schema.
"""
from peewee import *


def up(migrator, db):
    class Staff(Model):
        name = CharField()
        pinyin = CharField(default='')
        initials = CharField(default='')
        role = CharField(default='teacher')
        active = BooleanField(default=True)
        created_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'staff'
    db.create_tables([Staff])

    class SchoolClass(Model):
        name = CharField(unique=True)
        code = CharField(default='')
        grade = IntegerField(default=0)
        head_teacher = ForeignKeyField(Staff, null=True, on_delete='SET NULL')
        class Meta:
            database = db
            table_name = 'school_class'
    db.create_tables([SchoolClass])

    class Student(Model):
        student_no = CharField(unique=True)
        name = CharField()
        gender = CharField(default='')
        school_class = ForeignKeyField(SchoolClass, null=True, on_delete='SET NULL')
        birth_date = DateField(null=True)
        family_flags = CharField(default='')
        family_notes = TextField(default='')
        pinyin = CharField(default='')
        initials = CharField(default='')
        version = IntegerField(default=1)
        created_at = DateTimeField()
        updated_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'student'
    db.create_tables([Student])

    class Term(Model):
        name = CharField()
        school_year = CharField()
        semester = IntegerField()
        start_date = DateField()
        end_date = DateField()
        class Meta:
            database = db
            table_name = 'term'
    db.create_tables([Term])

    class Case(Model):
        student = ForeignKeyField(Student, on_delete='CASCADE')
        term = ForeignKeyField(Term, null=True, on_delete='SET NULL')
        status = CharField(default='identified')
        categories = CharField(default='')
        causes = CharField(default='')
        risk_level = CharField(default='medium')
        strengths = TextField(default='')
        academic_base = TextField(default='')
        main_problems = TextField(default='')
        cause_analysis = TextField(default='')
        measures = TextField(default='')
        opened_on = DateField(null=True)
        closed_on = DateField(null=True)
        version = IntegerField(default=1)
        updated_at = DateTimeField()
        updated_by = ForeignKeyField(Staff, null=True, on_delete='SET NULL')
        class Meta:
            database = db
            table_name = 'case_file'
    db.create_tables([Case])

    class Assignment(Model):
        case = ForeignKeyField(Case, on_delete='CASCADE')
        staff = ForeignKeyField(Staff, on_delete='CASCADE')
        role = CharField(default='lead')
        assigned_on = DateField(null=True)
        active = BooleanField(default=True)
        class Meta:
            database = db
            table_name = 'assignment'
    db.create_tables([Assignment])

    class AuditLog(Model):
        at = DateTimeField()
        staff = ForeignKeyField(Staff, null=True, on_delete='SET NULL')
        staff_name = CharField(default='')
        host = CharField(default='')
        table_name = CharField()
        row_id = CharField(default='')
        action = CharField()
        changes = TextField(default='')
        class Meta:
            database = db
            table_name = 'audit_log'
    db.create_tables([AuditLog])

    class Contact(Model):
        uuid = CharField(unique=True)
        case = ForeignKeyField(Case, on_delete='CASCADE')
        author = ForeignKeyField(Staff, on_delete='RESTRICT')
        occurred_at = DateTimeField()
        kind = CharField()
        channel = CharField()
        participants = TextField(default='')
        duration_min = IntegerField(null=True)
        discussed = TextField(default='')
        agreed = TextField(default='')
        follow_up = TextField(default='')
        follow_up_due = DateField(null=True)
        created_at = DateTimeField()
        host = CharField(default='')
        class Meta:
            database = db
            table_name = 'contact'
    db.create_tables([Contact])

    class Goal(Model):
        case = ForeignKeyField(Case, on_delete='CASCADE')
        horizon = CharField(default='short')
        text = TextField()
        measure = TextField(default='')
        due_date = DateField(null=True)
        status = CharField(default='open')
        class Meta:
            database = db
            table_name = 'goal'
    db.create_tables([Goal])

    class Guardian(Model):
        student = ForeignKeyField(Student, on_delete='CASCADE')
        name = CharField()
        relation = CharField(default='')
        phone = CharField(default='')
        wechat = CharField(default='')
        lives_with = BooleanField(default=False)
        notes = TextField(default='')
        class Meta:
            database = db
            table_name = 'guardian'
    db.create_tables([Guardian])

    class Meta(Model):
        key = CharField(primary_key=True)
        value = TextField()
        class Meta:
            database = db
            table_name = 'bangfu_meta'
    db.create_tables([Meta])


def down(migrator, db):
    migrator.migrate(migrator.drop_table('bangfu_meta'))
    migrator.migrate(migrator.drop_table('guardian'))
    migrator.migrate(migrator.drop_table('goal'))
    migrator.migrate(migrator.drop_table('contact'))
    migrator.migrate(migrator.drop_table('audit_log'))
    migrator.migrate(migrator.drop_table('assignment'))
    migrator.migrate(migrator.drop_table('case_file'))
    migrator.migrate(migrator.drop_table('term'))
    migrator.migrate(migrator.drop_table('student'))
    migrator.migrate(migrator.drop_table('school_class'))
    migrator.migrate(migrator.drop_table('staff'))
