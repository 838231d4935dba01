"""The demo's pictures: a 图解 and a 专题 banner drawn as shapes (the same bytes for the same arguments),
stored once in the site's image collection."""

from __future__ import annotations

import hashlib
import random
from io import BytesIO

from django.core.files.base import ContentFile
from PIL import Image as PILImage
from PIL import ImageDraw
from wagtail.images import get_image_model
from wagtail.images.models import AbstractImage

from govsite.content.permissions import site_collection
from govsite.sites.models import GovSite

RED, PALE, GREY = (183, 28, 28), (253, 236, 234), (150, 150, 150)


def png_picture(key: str, width: int, height: int, panels: int) -> bytes:
    """A small picture without text, the same bytes for the same arguments: a red title band over
    ``panels`` numbered panels drawn as shapes (a 图解), or with no panels a 专题 banner. The words
    belong in the alt text and the page."""
    rng = random.Random(key)  # noqa: S311 - picture layout, not security
    picture = PILImage.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(picture)
    if panels == 0:  # a banner: red ground, a pale title bar and a row of rings
        draw.rectangle((0, 0, width, height), fill=RED)
        draw.rectangle((width // 12, height * 2 // 5, width // 2, height * 3 // 5), fill=PALE)
        for i in range(5):
            size = rng.randint(height // 4, height // 2)
            left = width * (11 + 2 * i) // 22
            top = (height - size) // 2
            draw.ellipse((left, top, left + size, top + size), outline=PALE, width=6)
        buffer = BytesIO()
        picture.save(buffer, format="PNG")
        return buffer.getvalue()
    band = height // 8 if panels > 1 else height // 3
    draw.rectangle((0, 0, width, band), fill=RED)
    draw.rectangle((width // 10, band // 3, width * 9 // 10, band * 2 // 3), fill=PALE)
    gap = 24
    panel_height = (height - band - gap * (panels + 1)) // panels
    for i in range(panels):
        top = band + gap + i * (panel_height + gap)
        draw.rounded_rectangle(
            (gap * 2, top, width - gap * 2, top + panel_height), radius=16, fill=PALE, outline=RED, width=4
        )
        size = min(panel_height // 2, 90)
        middle = top + panel_height // 2
        draw.ellipse((gap * 3, middle - size // 2, gap * 3 + size, middle + size // 2), fill=RED)
        left = gap * 4 + size
        for line in range(3):
            y = top + panel_height // 4 + line * panel_height // 5
            draw.rectangle(
                (
                    left,
                    y,
                    left + rng.randint((width - left) // 3, width - left - gap * 3),
                    y + max(6, panel_height // 14),
                ),
                fill=GREY,
            )
    buffer = BytesIO()
    picture.save(buffer, format="PNG")
    return buffer.getvalue()


def demo_image(site: GovSite, title: str, description: str, data: bytes, filename: str) -> AbstractImage:
    """The image ``title`` in the site's collection, uploaded from ``data`` if it is not there yet."""
    collection = site_collection(site)
    image_model = get_image_model()
    image = image_model.objects.filter(collection=collection, title=title).first()
    if image is None:
        with PILImage.open(BytesIO(data)) as opened:
            width, height = opened.size
        image = image_model(
            title=title,
            description=description,
            collection=collection,
            file_size=len(data),
            file_hash=hashlib.sha1(data, usedforsecurity=False).hexdigest(),
        )
        image.file.save(filename, ContentFile(data), save=False)
        image.width, image.height = width, height  # saving the file left them unset
        image.save()
    return image
