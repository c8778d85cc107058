"""Three EXAMPLE testimonials so the page is not empty on day one.

They are written by the portal's developers, not said by anyone: no names, no real body, only a
role description, and is_example=True, which labels them "Example text" on the site. The
secretariat replaces them in the admin with real quotes given with the person's consent.
"""

from django.db import migrations

EXAMPLES = [
    {
        "order": 10,
        "role_sv": "Klimatstrateg i en medelstor kommun",
        "role_en": "Climate strategist in a medium-sized municipality",
        "quote_sv": (
            "På nätverksträffarna får vi höra hur andra kommuner faktiskt har gjort, inte bara vad de "
            "planerar. Det har sparat oss mycket tid när vi tog fram vår nya åtgärdsplan."
        ),
        "quote_en": (
            "At the network meetings we hear how other municipalities actually did it, not only what "
            "they plan. That saved us a lot of time when we drew up our new action plan."
        ),
    },
    {
        "order": 20,
        "role_sv": "Kommunstyrelsens ordförande i en mindre kommun",
        "role_en": "Chair of the executive board of a small municipality",
        "quote_sv": (
            "Medlemskapet gav oss som politiker ett sammanhang. Vi jämför oss med andra och ser att "
            "små kommuner också kan ligga i framkant."
        ),
        "quote_en": (
            "Membership gave us politicians a context. We compare ourselves with others and see that "
            "small municipalities can lead too."
        ),
    },
    {
        "order": 30,
        "role_sv": "Miljöstrateg i en region",
        "role_en": "Environmental strategist in a region",
        "quote_sv": (
            "Medlemstestet var en bra genomgång av vårt eget arbete. Vi upptäckte luckor i "
            "uppföljningen som vi nu har åtgärdat."
        ),
        "quote_en": (
            "The membership test was a useful review of our own work. We found gaps in our follow-up "
            "that we have now closed."
        ),
    },
]


def add_examples(apps, schema_editor):
    Testimonial = apps.get_model("klimat", "Testimonial")
    for example in EXAMPLES:
        Testimonial.objects.create(published=True, is_example=True, **example)


def remove_examples(apps, schema_editor):
    apps.get_model("klimat", "Testimonial").objects.filter(is_example=True).delete()


class Migration(migrations.Migration):
    dependencies = [("klimat", "0001_initial")]

    operations = [migrations.RunPython(add_examples, remove_examples)]
