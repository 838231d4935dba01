"""Remove the placeholder "Welcome to your new Wagtail site!" page and localhost site that Wagtail's
own migrations create: govsite sites are created by ``sites.actions.create_site``."""

from django.db import migrations


def remove_welcome(apps, schema_editor):
    Site = apps.get_model("wagtailcore", "Site")
    Page = apps.get_model("wagtailcore", "Page")
    welcome = Page.objects.filter(depth=2, slug="home", title__startswith="Welcome to your new Wagtail site")
    Site.objects.filter(root_page__in=welcome, hostname="localhost").delete()
    for page in welcome:
        if not Page.objects.filter(path__startswith=page.path, depth__gt=page.depth).exists():
            page.delete()
            root = Page.objects.get(depth=1)
            root.numchild = Page.objects.filter(depth=2).count()
            root.save(update_fields=["numchild"])


class Migration(migrations.Migration):
    dependencies = [("sites", "0001_initial"), ("wagtailcore", "0098_apitoken")]
    operations = [migrations.RunPython(remove_welcome, migrations.RunPython.noop)]
