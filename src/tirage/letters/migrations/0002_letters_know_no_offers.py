"""Letters no longer point at council offers or members: ``council.CouncilLetter`` holds the
link (copied by ``council/0002`` first)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("letters", "0001_initial"),
        ("council", "0002_councilletter"),
    ]

    operations = [
        migrations.RemoveField(model_name="letter", name="member"),
        migrations.RemoveField(model_name="letter", name="offer"),
    ]
