"""Trainings and events that editors publish, with their sessions.

`ActivityPage` holds everything a training and an event share (sessions, venue,
capacity, registration window, eligibility); it is never created directly. One
concrete base table means the index lists trainings and events in one query.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import RoutablePageMixin, path, re_path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from content.blocks import RICH_TEXT_FEATURES, BodyStreamBlock
from core.api_fields import RenditionField, RichTextHTMLField, TagNamesField
from core.page_cache import CachedForVisitors
from core.rules import Rule, RulesMixin
from sme_registry.kbli import KBLI_CATEGORIES
from sme_registry.scale import Scale
from training_pages.api import KecamatanField, SeatsLeftField, SessionsField, SignUpField


class TrainingIndexPage(CachedForVisitors, RoutablePageMixin, Page):
    """The list of trainings and events: filters, a month calendar and an iCal feed."""

    intro = RichTextField(_("introduction"), features=RICH_TEXT_FEATURES, blank=True)
    per_page = models.PositiveSmallIntegerField(_("items per page"), default=10)

    parent_page_types = ["content.HomePage", "content.StandardPage"]
    subpage_types = ["training_pages.TrainingPage", "training_pages.EventPage"]
    template = "training_pages/training_index_page.html"

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("per_page")]
    search_fields = Page.search_fields + [index.SearchField("intro")]
    api_fields = [APIField("intro", serializer=RichTextHTMLField()), APIField("per_page")]

    class Meta:
        verbose_name = _("training and event index")
        verbose_name_plural = _("training and event indexes")

    def activities(self):
        """Live, public trainings and events under this index."""
        return ActivityPage.objects.live().public().child_of(self)

    @path("")
    def listing(self, request):
        from training_pages.views import listing

        return listing.index(request, self)

    @path("kalender/", name="calendar")
    def calendar(self, request):
        from training_pages.views import listing

        return listing.calendar(request, self)

    @path("ical/", name="feed")
    def feed(self, request):
        from training_pages.views import listing

        return listing.feed(request, self)


class ActivityTopicTag(TaggedItemBase):
    content_object = ParentalKey(
        "training_pages.ActivityPage", on_delete=models.CASCADE, related_name="tagged_topics"
    )


class ActivityPage(CachedForVisitors, RoutablePageMixin, Page):
    """What a training and an event share. Sub-addresses serve sign-up and the .ics."""

    class Mode(models.TextChoices):
        OFFLINE = "offline", _("in person")
        ONLINE = "online", _("online")

    class Eligibility(models.TextChoices):
        REGISTERED = "registered", _("any registered business")
        VALIDATED = "validated", _("validated businesses only")

    summary = models.TextField(
        _("summary"), max_length=300, help_text=_("Shown in lists, search results and e-mails.")
    )
    body = StreamField(BodyStreamBlock(), verbose_name=_("body"), blank=True)
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    topics = ClusterTaggableManager(verbose_name=_("topics"), through=ActivityTopicTag, blank=True)

    mode = models.CharField(_("held"), max_length=10, choices=Mode.choices, default=Mode.OFFLINE)
    venue_name = models.CharField(_("venue"), max_length=150, blank=True)
    venue_address = models.CharField(_("venue address"), max_length=300, blank=True)
    kecamatan = models.ForeignKey(
        "sme_registry.Kecamatan",
        verbose_name=_("kecamatan"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    online_link = models.URLField(
        _("meeting link"),
        blank=True,
        help_text=_("Shown only to accepted participants, never on the public page."),
    )

    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, help_text=_("Empty: no limit.")
    )
    registration_opens_at = models.DateTimeField(_("sign-up opens"), null=True, blank=True)
    registration_closes_at = models.DateTimeField(
        _("sign-up closes"),
        null=True,
        blank=True,
        help_text=_("Empty: until the first session starts."),
    )
    eligibility = models.CharField(
        _("who may sign up"),
        max_length=12,
        choices=Eligibility.choices,
        default=Eligibility.REGISTERED,
    )
    eligible_sector = models.CharField(
        _("only this sector"), max_length=1, choices=KBLI_CATEGORIES, blank=True
    )
    eligible_scale = models.CharField(
        _("only this scale"), max_length=10, choices=Scale.choices, blank=True
    )
    requires_approval = models.BooleanField(
        _("staff approve each participant"),
        default=False,
        help_text=_("Participants wait as 'awaiting approval' until staff accept them."),
    )
    gives_certificate = models.BooleanField(_("certificate for attendees"), default=False)
    feedback_page = models.ForeignKey(
        "content.FormPage",
        verbose_name=_("feedback form"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Participants who attended get a link to this form after the last session."),
    )

    organiser = models.CharField(
        _("organiser"), max_length=150, default="Dinas Koperasi dan UKM Kabupaten Bogor"
    )
    contact_name = models.CharField(_("contact person"), max_length=100, blank=True)
    contact_phone = models.CharField(_("contact phone / WhatsApp"), max_length=20, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)

    # Kept in step with the sessions on every save, so lists sort and filter
    # on an indexed column instead of a subquery per row.
    starts_at = models.DateTimeField(_("starts"), null=True, editable=False, db_index=True)
    ends_at = models.DateTimeField(_("ends"), null=True, editable=False, db_index=True)

    parent_page_types = ["training_pages.TrainingIndexPage"]
    subpage_types = []
    is_creatable = False

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("image"),
        FieldPanel("body"),
        FieldPanel("topics"),
        InlinePanel("sessions", label=_("Sessions"), min_num=1),
        MultiFieldPanel(
            [
                FieldPanel("mode"),
                FieldPanel("venue_name"),
                FieldPanel("venue_address"),
                FieldPanel("kecamatan"),
                FieldPanel("online_link"),
            ],
            heading=_("Place"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("capacity"),
                FieldRowPanel(
                    [FieldPanel("registration_opens_at"), FieldPanel("registration_closes_at")]
                ),
                FieldPanel("eligibility"),
                FieldRowPanel([FieldPanel("eligible_sector"), FieldPanel("eligible_scale")]),
                FieldPanel("requires_approval"),
                FieldPanel("gives_certificate"),
                FieldPanel("feedback_page"),
            ],
            heading=_("Sign-up"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("organiser"),
                FieldPanel("contact_name"),
                FieldPanel("contact_phone"),
                FieldPanel("contact_email"),
            ],
            heading=_("Organiser and contact"),
        ),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("body"),
        index.SearchField("venue_name"),
        index.FilterField("starts_at"),
    ]
    # What the public page shows, and no more: never the meeting link (online_link), the
    # feedback form or who signed up. Seats and sign-up state come from the selectors the
    # page uses (training_pages.api).
    api_fields = [
        APIField("summary"),
        APIField("body"),
        APIField("image", serializer=RenditionField()),
        APIField("topics", serializer=TagNamesField()),
        APIField("sessions", serializer=SessionsField()),
        APIField("starts_at"),
        APIField("ends_at"),
        APIField("mode"),
        APIField("venue_name"),
        APIField("venue_address"),
        APIField("kecamatan", serializer=KecamatanField()),
        APIField("capacity"),
        APIField("seats_left", serializer=SeatsLeftField()),
        APIField("sign_up", serializer=SignUpField()),
        APIField("registration_opens_at"),
        APIField("registration_closes_at"),
        APIField("eligibility"),
        APIField("eligible_sector"),
        APIField("eligible_scale"),
        APIField("gives_certificate"),
        APIField("organiser"),
        APIField("contact_name"),
        APIField("contact_phone"),
        APIField("contact_email"),
    ]

    class Meta:
        verbose_name = _("training or event")
        verbose_name_plural = _("trainings and events")

    @classmethod
    def api_queryset(cls, queryset):
        """The pages API's listing with the seats taken counted in the same query."""
        from training_pages import selectors

        return selectors.with_seats_taken(queryset)

    @property
    def kind_label(self):
        return self.specific_class._meta.verbose_name if self.specific_class else ""

    @property
    def is_online(self):
        return self.mode == self.Mode.ONLINE

    @property
    def is_past(self):
        return bool(self.ends_at and self.ends_at < timezone.now())

    def ordered_sessions(self):
        return sorted(self.sessions.all(), key=lambda s: (s.starts_at, s.pk or 0))

    def sign_up_closes_at(self):
        return self.registration_closes_at or self.starts_at

    def sign_up_state(self, now=None):
        """'not_yet', 'open' or 'closed', from the window and the first session."""
        now = now or timezone.now()
        if self.registration_opens_at and now < self.registration_opens_at:
            return "not_yet"
        closes = self.sign_up_closes_at()
        if closes and now >= closes:
            return "closed"
        return "open"

    def clean(self):
        super().clean()
        errors = {}
        if self.mode == self.Mode.OFFLINE and not self.venue_name:
            errors["venue_name"] = _("Name the venue of an in-person activity.")
        if self.mode == self.Mode.OFFLINE and not self.kecamatan_id:
            errors["kecamatan"] = _("Choose the kecamatan of the venue.")
        if self.mode == self.Mode.ONLINE and not self.online_link:
            errors["online_link"] = _("An online activity needs its meeting link.")
        if (
            self.registration_opens_at
            and self.registration_closes_at
            and self.registration_closes_at <= self.registration_opens_at
        ):
            errors["registration_closes_at"] = _("Sign-up must close after it opens.")
        if errors:
            raise ValidationError(errors)

    def refresh_dates(self):
        sessions = [s for s in self.sessions.all() if s.starts_at and s.ends_at]
        self.starts_at = min((s.starts_at for s in sessions), default=None)
        self.ends_at = max((s.ends_at for s in sessions), default=None)

    def save(self, *args, **kwargs):
        self.refresh_dates()
        return super().save(*args, **kwargs)

    def get_sitemap_urls(self, request=None):
        urls = super().get_sitemap_urls(request)
        for entry in urls:
            entry["changefreq"] = "weekly"
        return urls

    # Sub-addresses: thin wrappers, the work is in training_pages.views.

    @path("ical/", name="ics")
    def ics(self, request):
        from training_pages.views import listing

        return listing.page_ics(request, self)

    @path("daftar/", name="sign_up")
    def sign_up(self, request):
        from training_pages.views import signup

        return signup.sign_up(request, self)

    @re_path(r"^peserta/(?P<token>[\w-]{20,40})/$", name="participation")
    def participation(self, request, token):
        from training_pages.views import signup

        return signup.participation(request, self, token)

    def registration_return_url(self, draft):
        """Where a visitor who registered on the way continues (see the registry)."""
        return self.url + self.reverse_subpage("sign_up") + f"?pendaftaran={draft.token}"

    @re_path(r"^peserta/(?P<token>[\w-]{20,40})/sertifikat/$", name="certificate")
    def certificate(self, request, token):
        from training_pages.views import certificates

        return certificates.certificate(request, self, token)


class TrainingPage(ActivityPage):
    """A training (pelatihan) or workshop for SMEs."""

    parent_page_types = ["training_pages.TrainingIndexPage"]
    subpage_types = []
    is_creatable = True
    template = "training_pages/activity_page.html"

    class Meta:
        verbose_name = _("training")
        verbose_name_plural = _("trainings")


class EventPage(ActivityPage):
    """A bazaar, expo, market day or similar event where SMEs take part."""

    class Kind(models.TextChoices):
        BAZAAR = "bazaar", _("bazaar")
        EXPO = "expo", _("expo or exhibition")
        MEETING = "meeting", _("business meeting")
        OTHER = "other", _("other event")

    event_kind = models.CharField(_("kind of event"), max_length=10, choices=Kind.choices)

    parent_page_types = ["training_pages.TrainingIndexPage"]
    subpage_types = []
    is_creatable = True
    template = "training_pages/activity_page.html"

    content_panels = (
        ActivityPage.content_panels[:2]
        + [FieldPanel("event_kind")]
        + ActivityPage.content_panels[2:]
    )
    api_fields = ActivityPage.api_fields + [APIField("event_kind")]

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")


def _ends_after_start(session):
    if session.starts_at and session.ends_at and session.ends_at <= session.starts_at:
        raise ValidationError(_("A session must end after it starts."), code="ends_before_start")


class ActivitySession(RulesMixin, Orderable):
    """One meeting of a training or one day of an event; attendance is taken per session."""

    page = ParentalKey(ActivityPage, on_delete=models.CASCADE, related_name="sessions")
    title = models.CharField(_("title"), max_length=120, blank=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))

    panels = [FieldPanel("title"), FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")])]
    api_fields = [APIField("title"), APIField("starts_at"), APIField("ends_at")]

    rules = (Rule(("starts_at", "ends_at"), _ends_after_start, "ends_at"),)

    class Meta(Orderable.Meta):
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="activity_session_ends_after_start",
                violation_error_message=_("A session must end after it starts."),
            )
        ]

    def __str__(self):
        local = timezone.localtime(self.starts_at)
        return self.title or local.strftime("%d-%m-%Y %H:%M")
