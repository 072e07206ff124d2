from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import models
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel
from wagtail.api import APIField
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from content.blocks import BodyStreamBlock
from core.api_fields import RenditionField, TagNamesField
from core.page_cache import CachedForVisitors

NEWS_PER_PAGE = 10


class NewsIndexPage(CachedForVisitors, Page):
    """Lists news items, newest first, ten to a page, filterable by tag."""

    intro = models.TextField(_("introduction"), max_length=500, blank=True)

    parent_page_types = ["content.HomePage"]
    subpage_types = ["content.NewsPage"]
    template = "pages/news_index_page.html"

    content_panels = Page.content_panels + [FieldPanel("intro")]
    api_fields = [APIField("intro")]

    class Meta:
        verbose_name = _("news index page")
        verbose_name_plural = _("news index pages")

    def news_items(self, tag=None):
        items = (
            NewsPage.objects.live()
            .public()
            .child_of(self)
            .select_related("image")
            .order_by("-date", "-pk")
        )
        if tag:
            items = items.filter(tags__slug=tag)
        return items

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        tag = request.GET.get("tag", "").strip()[:100]
        paginator = Paginator(self.news_items(tag), NEWS_PER_PAGE)
        try:
            items = paginator.page(request.GET.get("page", 1))
        except PageNotAnInteger:
            items = paginator.page(1)
        except EmptyPage:
            items = paginator.page(paginator.num_pages)
        context.update(
            news_items=items,
            paginator=paginator,
            active_tag=tag,
            pagination_extra=urlencode({"tag": tag}) + "&" if tag else "",
            tags=NewsPageTag.objects.filter(content_object__in=self.news_items())
            .values_list("tag__name", "tag__slug")
            .distinct()
            .order_by("tag__name"),
        )
        return context


class NewsPageTag(TaggedItemBase):
    content_object = ParentalKey(
        "content.NewsPage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class NewsPage(CachedForVisitors, Page):
    date = models.DateField(_("date"), default=timezone.localdate)
    intro = models.TextField(
        _("summary"), max_length=300, help_text=_("Shown in lists and search results.")
    )
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = StreamField(BodyStreamBlock(), verbose_name=_("body"), blank=True)
    tags = ClusterTaggableManager(verbose_name=_("tags"), through=NewsPageTag, blank=True)

    parent_page_types = ["content.NewsIndexPage"]
    subpage_types = []
    template = "pages/news_page.html"

    content_panels = Page.content_panels + [
        FieldPanel("date"),
        FieldPanel("intro"),
        FieldPanel("image"),
        FieldPanel("body"),
        FieldPanel("tags"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("intro"),
        index.SearchField("body"),
        index.FilterField("date"),
    ]
    api_fields = [
        APIField("date"),
        APIField("intro"),
        APIField("image", serializer=RenditionField()),
        APIField("body"),
        APIField("tags", serializer=TagNamesField()),
    ]

    class Meta:
        verbose_name = _("news page")
        verbose_name_plural = _("news pages")
