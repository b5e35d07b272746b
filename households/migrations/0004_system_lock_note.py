"""The system's lock at a period's close stores no text; the page says why in the reader's language."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("households", "0003_review_household_index")]

    operations = [
        migrations.RunSQL(
            "UPDATE households_reviewtransition SET comment = '' "
            "WHERE by_id IS NULL AND to_state = 'locked' AND comment = 'period closed'",
            "UPDATE households_reviewtransition SET comment = 'period closed' "
            "WHERE by_id IS NULL AND to_state = 'locked' AND comment = ''",
        ),
    ]
