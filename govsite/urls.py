"""URL map: the Chinese admin under GOVSITE_ADMIN_URL, documents, pictures, and the public sites (Wagtail).

Pictures: ``govsite serve`` is the whole web server in the embedded set-up, so it serves the image
files under MEDIA_ROOT itself (original uploads and renditions only). Documents never go out as
raw files: they are served by Wagtail's view under /documents/, which applies collection privacy.
"""

import re

from django.conf import settings
from django.urls import include, path, re_path
from django.views.static import serve
from wagtail import urls as wagtail_urls
from wagtail import views as wagtail_views
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

urlpatterns = [
    path(settings.ADMIN_URL, include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    re_path(
        rf"^{re.escape(settings.MEDIA_URL.lstrip('/'))}(?P<path>(?:images|original_images)/[^/]+)$",
        serve,
        {"document_root": settings.MEDIA_ROOT},
        name="govsite_media",
    ),
    # An item's published address (content.models.item_address), for a site Wagtail still serves
    # (one never published): ColumnPage.route finds the item.
    re_path(r"^((?:[\w\-]+/)+(?:\d{6}/)?t\d*_\d+\.html)$", wagtail_views.serve, name="govsite_item"),
    path("", include(wagtail_urls)),
]
