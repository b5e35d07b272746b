"""Import and export jobs on the job base (common.jobs): the uploader is the requester, the job's message its
error; the rest of the columns are added or altered in place, so every row is kept."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("imports", "0003_upload_deleted"),
    ]

    operations = [
        migrations.RenameField(model_name="importjob", old_name="created_by", new_name="requested_by"),
        migrations.RenameField(model_name="importjob", old_name="message", new_name="error"),
    ]
