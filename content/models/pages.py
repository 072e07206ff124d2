from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from content.blocks import RICH_TEXT_FEATURES, BodyStreamBlock
from core.api_fields import PageLinkField, RenditionField, RichTextHTMLField
from core.page_cache import CachedForVisitors

HOME_SECTIONS_HOOK = "content_home_sections"


class HomePage(CachedForVisitors, Page):
    """The site's root page: a hero, an introduction and what is new."""

    hero_title = models.CharField(_("hero title"), max_length=120)
    hero_text = models.TextField(_("hero text"), max_length=400, blank=True)
    hero_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("hero image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    hero_cta_label = models.CharField(_("hero button label"), max_length=60, blank=True)
    hero_cta_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("hero button page"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    intro = RichTextField(_("introduction"), features=RICH_TEXT_FEATURES, blank=True)
    body = StreamField(BodyStreamBlock(), verbose_name=_("body"), blank=True)
    news_count = models.PositiveSmallIntegerField(_("number of news items shown"), default=3)

    max_count = 1
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "content.StandardPage",
        "content.NewsIndexPage",
        "content.FormPage",
        "sme_registry.RegistrationPage",
        "sme_registry.DirectoryPage",
        "training_pages.TrainingIndexPage",
    ]
    template = "pages/home_page.html"

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [
                FieldPanel("hero_title"),
                FieldPanel("hero_text"),
                FieldPanel("hero_image"),
                FieldPanel("hero_cta_label"),
                FieldPanel("hero_cta_page"),
            ],
            heading=_("Hero"),
        ),
        FieldPanel("intro"),
        FieldPanel("body"),
        FieldPanel("news_count"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("hero_text"),
        index.SearchField("intro"),
        index.SearchField("body"),
    ]
    api_fields = [
        APIField("hero_title"),
        APIField("hero_text"),
        APIField("hero_image", serializer=RenditionField()),
        APIField("hero_cta_label"),
        APIField("hero_cta_page", serializer=PageLinkField()),
        APIField("intro", serializer=RichTextHTMLField()),
        APIField("body"),
        APIField("news_count"),
    ]

    class Meta:
        verbose_name = _("home page")
        verbose_name_plural = _("home pages")

    def latest_news(self):
        from content.models import NewsPage

        return (
            NewsPage.objects.live()
            .public()
            .descendant_of(self)
            .select_related("image")
            .order_by("-date", "-pk")[: self.news_count]
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["latest_news"] = self.latest_news()
        # Other apps (trainings, registration) contribute sections through a
        # hook, so the home page needs no knowledge of them.
        sections = []
        for fn in hooks.get_hooks(HOME_SECTIONS_HOOK):
            html = fn(request, self)
            if html:
                sections.append(html)
        context["home_sections"] = sections
        return context


class StandardPage(CachedForVisitors, Page):
    """A general content page: about, services, procedures, FAQ."""

    intro = models.TextField(_("introduction"), max_length=500, blank=True)
    body = StreamField(BodyStreamBlock(), verbose_name=_("body"), blank=True)

    parent_page_types = ["content.HomePage", "content.StandardPage"]
    subpage_types = [
        "content.StandardPage",
        "content.FormPage",
        "sme_registry.RegistrationPage",
        "sme_registry.DirectoryPage",
        "training_pages.TrainingIndexPage",
    ]
    template = "pages/standard_page.html"

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    search_fields = Page.search_fields + [
        index.SearchField("intro"),
        index.SearchField("body"),
    ]
    api_fields = [APIField("intro"), APIField("body")]

    class Meta:
        verbose_name = _("standard page")
        verbose_name_plural = _("standard pages")
