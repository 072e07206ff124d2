from wagtail import hooks

from content.demo import seed_content


@hooks.register("seed_demo")
def seed_content_demo(stdout):
    seed_content(stdout)
