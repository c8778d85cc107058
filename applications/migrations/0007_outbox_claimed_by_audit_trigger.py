"""The outbox's claim names its task; PostgreSQL refuses changes to the audit trail.

The trigger is PostgreSQL only (SQLite relies on the model's guards, applications/audit.py).
It refuses UPDATE and DELETE on applications_statuschange except what the portal itself needs:
blanking `by` when a user is deleted (on_delete=SET_NULL), and deleting the trail of a draft
that was never submitted together with the draft (the 90-day retention, applications/retention.py).
"""

from django.db import migrations, models

FUNCTION = """
CREATE OR REPLACE FUNCTION applications_statuschange_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        IF NEW.by_id IS NULL
           AND (NEW.id, NEW.application_id, NEW.from_status, NEW.to_status, NEW.at, NEW.reason)
               IS NOT DISTINCT FROM (OLD.id, OLD.application_id, OLD.from_status, OLD.to_status, OLD.at, OLD.reason)
        THEN
            RETURN NEW;
        END IF;
        RAISE EXCEPTION 'The audit trail is append-only: UPDATE of status change % refused', OLD.id
            USING ERRCODE = 'restrict_violation';
    END IF;
    IF EXISTS (
        SELECT 1 FROM applications_application a
        WHERE a.id = OLD.application_id AND (a.status <> 'draft' OR a.submitted_at IS NOT NULL)
    ) THEN
        RAISE EXCEPTION 'The audit trail is append-only: DELETE of status change % refused', OLD.id
            USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN OLD;
END;
$$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS applications_statuschange_append_only ON applications_statuschange;
CREATE TRIGGER applications_statuschange_append_only
    BEFORE UPDATE OR DELETE ON applications_statuschange
    FOR EACH ROW EXECUTE FUNCTION applications_statuschange_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS applications_statuschange_append_only ON applications_statuschange;
DROP FUNCTION IF EXISTS applications_statuschange_append_only();
"""


def on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, None)  # no parameters: "%" in the SQL is literal

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0006_personal_data_requests"),
    ]

    operations = [
        migrations.AddField(
            model_name="outboundemail",
            name="claimed_by",
            field=models.CharField(blank=True, editable=False, max_length=255),
        ),
        migrations.RunPython(on_postgresql(FUNCTION), on_postgresql(DROP)),
    ]
