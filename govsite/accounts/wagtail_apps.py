"""App config that swaps Wagtail's user admin for govsite's (``accounts.user_admin``)."""

from wagtail.users.apps import WagtailUsersAppConfig


class GovUsersAppConfig(WagtailUsersAppConfig):
    user_viewset = "govsite.accounts.user_admin.UserViewSet"
