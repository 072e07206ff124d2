from wagtail import hooks

from content.demo import seed_content


@hooks.register("seed_demo")
def seed_content_demo(demo):
    seed_content(demo.stdout)


@hooks.register("office_name")
def office_name(request):
    """The office's name as editors set it under Settings → Office details."""
    from content.models import OfficeSettings

    return OfficeSettings.for_request(request).office_name if request else ""
