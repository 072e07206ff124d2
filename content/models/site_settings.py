from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.models import Orderable


@register_setting(icon="home")
class OfficeSettings(BaseSiteSetting):
    """Contact details of the office, shown in the footer and on contact pages."""

    office_name = models.CharField(
        _("office name"),
        max_length=200,
        default="Dinas Koperasi dan UKM Kabupaten Bogor",
    )
    address = models.TextField(_("address"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    opening_hours = models.CharField(_("opening hours"), max_length=200, blank=True)
    whatsapp_url = models.URLField(_("WhatsApp link"), blank=True)
    facebook_url = models.URLField(_("Facebook"), blank=True)
    instagram_url = models.URLField(_("Instagram"), blank=True)
    youtube_url = models.URLField(_("YouTube"), blank=True)
    x_url = models.URLField(_("X (Twitter)"), blank=True)
    tiktok_url = models.URLField(_("TikTok"), blank=True)
    footer_text = models.TextField(_("footer text"), max_length=500, blank=True)

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("office_name"),
                FieldPanel("address"),
                FieldPanel("phone"),
                FieldPanel("email"),
                FieldPanel("opening_hours"),
            ],
            heading=_("Office"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("whatsapp_url"),
                FieldPanel("facebook_url"),
                FieldPanel("instagram_url"),
                FieldPanel("youtube_url"),
                FieldPanel("x_url"),
                FieldPanel("tiktok_url"),
            ],
            heading=_("Social media"),
        ),
        FieldPanel("footer_text"),
    ]

    class Meta:
        verbose_name = _("office details")

    def social_links(self):
        links = [
            ("WhatsApp", self.whatsapp_url),
            ("Facebook", self.facebook_url),
            ("Instagram", self.instagram_url),
            ("YouTube", self.youtube_url),
            ("X", self.x_url),
            ("TikTok", self.tiktok_url),
        ]
        return [(name, url) for name, url in links if url]


@register_setting(icon="list-ul")
class MainMenu(ClusterableModel, BaseSiteSetting):
    """The header menu, ordered by editors."""

    panels = [InlinePanel("items", label=_("Menu items"))]

    class Meta:
        verbose_name = _("main menu")


class MenuItem(Orderable):
    menu = ParentalKey(MainMenu, on_delete=models.CASCADE, related_name="items")
    link_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("page"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    link_url = models.URLField(_("external address"), blank=True)
    link_text = models.CharField(
        _("label"),
        max_length=60,
        blank=True,
        help_text=_("Leave empty to use the page title."),
    )

    panels = [FieldPanel("link_page"), FieldPanel("link_url"), FieldPanel("link_text")]

    class Meta(Orderable.Meta):
        verbose_name = _("menu item")
        verbose_name_plural = _("menu items")

    def clean(self):
        if bool(self.link_page_id) == bool(self.link_url):
            raise ValidationError({"link_page": _("Choose a page or enter an address, not both.")})
        if self.link_url and not self.link_text:
            raise ValidationError({"link_text": _("A label is needed for an external address.")})

    @property
    def url(self):
        return self.link_page.url if self.link_page_id else self.link_url

    @property
    def text(self):
        if self.link_text:
            return self.link_text
        return self.link_page.title if self.link_page_id else self.link_url

    def __str__(self):
        return str(self.text)
