from django.contrib.admin.apps import AdminConfig


class CrampsAdminConfig(AdminConfig):
    """Django's admin, with a site that signs in through allauth and needs two-factor sign-in."""

    default_site = "cramps.admin_site.CrampsAdminSite"
