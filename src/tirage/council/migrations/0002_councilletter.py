"""The link from a letter to its offer or member moves from ``letters.Letter`` to the council
(``CouncilLetter``): the letters app knows nothing of offers. Existing links are copied
before ``letters`` drops its two columns (``letters/0002``)."""

import django.db.models.deletion
from django.db import migrations, models


def copy_links(apps, schema_editor):
    Letter = apps.get_model("letters", "Letter")
    CouncilLetter = apps.get_model("council", "CouncilLetter")
    links = [
        CouncilLetter(letter_id=pk, offer_id=offer_id, member_id=member_id)
        for pk, offer_id, member_id in Letter.objects.filter(
            models.Q(offer__isnull=False) | models.Q(member__isnull=False)
        ).values_list("pk", "offer_id", "member_id")
    ]
    CouncilLetter.objects.bulk_create(links, batch_size=500)


def copy_links_back(apps, schema_editor):
    Letter = apps.get_model("letters", "Letter")
    CouncilLetter = apps.get_model("council", "CouncilLetter")
    for link in CouncilLetter.objects.all():
        Letter.objects.filter(pk=link.letter_id).update(
            offer_id=link.offer_id, member_id=link.member_id
        )


class Migration(migrations.Migration):
    dependencies = [
        ("council", "0001_initial"),
        ("letters", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="CouncilLetter",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "letter",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="letters.letter",
                    ),
                ),
                (
                    "member",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="letters",
                        to="council.member",
                    ),
                ),
                (
                    "offer",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="letters",
                        to="council.offer",
                    ),
                ),
            ],
            options={
                "verbose_name": "courrier du conseil",
                "verbose_name_plural": "courriers du conseil",
                "ordering": ["id"],
            },
        ),
        migrations.RunPython(copy_links, copy_links_back),
    ]
