from wagtail import hooks


@hooks.register("content_home_sections")
def training_home_section(request, home_page):
    """The next trainings and events on the home page, with a link to all of them."""
    from django.template.loader import render_to_string

    from training_pages import selectors
    from training_pages.models import TrainingIndexPage

    index = TrainingIndexPage.objects.live().public().descendant_of(home_page).first()
    if index is None:
        return ""
    return render_to_string(
        "training_pages/includes/home_section.html",
        {"index": index, "upcoming": selectors.next_activities(home_page)},
        request=request,
    )


@hooks.register("seed_demo")
def seed_training_demo(stdout):
    from training_pages.demo import seed_training

    seed_training(stdout)
