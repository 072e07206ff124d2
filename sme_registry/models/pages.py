from django.db import models
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.api import APIField
from wagtail.contrib.forms.forms import BaseForm, FormBuilder
from wagtail.contrib.forms.models import AbstractFormField
from wagtail.contrib.routable_page.models import RoutablePageMixin, path, re_path
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from core.api_fields import FormFieldsField, RichTextHTMLField
from core.page_cache import CachedForVisitors
from core.richtext import RICH_TEXT_FEATURES


class RegistrationQuestion(AbstractFormField):
    """An extra question that editors add with the form builder."""

    page = ParentalKey(
        "sme_registry.RegistrationPage", on_delete=models.CASCADE, related_name="questions"
    )


class RegistrationPage(CachedForVisitors, RoutablePageMixin, Page):
    """The SME registration form, placed by editors wherever it is needed.

    Its first step, at the page's own address, is kept for visitors with its tokens cut
    out (`core.page_cache`); the steps of a draft, the status and update pages never are.

    The typed and validated core fields come from the registry; editors add
    their own questions below them. Sub-addresses serve the steps, the status
    page and the owner's private update link (see `sme_registry.views`).
    """

    keeps_form_for_visitors = True

    intro = RichTextField(_("introduction"), features=RICH_TEXT_FEATURES, blank=True)
    privacy_text = RichTextField(
        _("data protection notice"),
        features=RICH_TEXT_FEATURES,
        blank=True,
        help_text=_("Shown above the consent question: what the data is used for and who sees it."),
    )
    done_text = RichTextField(_("text after sending"), features=RICH_TEXT_FEATURES, blank=True)

    parent_page_types = ["content.HomePage", "content.StandardPage"]
    subpage_types = []
    template = "sme_registry/registration_step.html"

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        FieldPanel("privacy_text"),
        InlinePanel("questions", label=_("Extra questions")),
        FieldPanel("done_text"),
    ]
    search_fields = Page.search_fields + [index.SearchField("intro")]
    # The editors' texts and extra questions; the registration itself is a form of its own.
    api_fields = [
        APIField("intro", serializer=RichTextHTMLField()),
        APIField("privacy_text", serializer=RichTextHTMLField()),
        APIField("questions", serializer=FormFieldsField()),
        APIField("done_text", serializer=RichTextHTMLField()),
    ]

    class Meta:
        verbose_name = _("registration page")
        verbose_name_plural = _("registration pages")

    def extra_form_class(self):
        questions = list(self.questions.all())
        if not questions:
            return None
        return type("ExtraQuestionsForm", (BaseForm,), FormBuilder(questions).formfields)

    def extra_labels(self):
        return {q.clean_name: q.label for q in self.questions.all()}

    # Routes: thin wrappers, the work is in sme_registry.views.

    @path("")
    def start(self, request):
        from sme_registry.views import registration

        return registration.start(request, self)

    @re_path(r"^draf/(?P<token>[\w-]{20,40})/$")
    def resume(self, request, token):
        from sme_registry.views import registration

        return registration.resume(request, self, token)

    @re_path(r"^draf/(?P<token>[\w-]{20,40})/(?P<step>[a-z]+)/$")
    def step(self, request, token, step):
        from sme_registry.views import registration

        return registration.step(request, self, token, step)

    @re_path(r"^selesai/(?P<token>[\w-]{20,40})/$")
    def done(self, request, token):
        from sme_registry.views import registration

        return registration.done(request, self, token)

    @path("status/", name="status")
    def status(self, request):
        from sme_registry.views import status

        return status.status_lookup(request, self)

    @path("perbarui/", name="update_request")
    def update_request(self, request):
        from sme_registry.views import owner_update

        return owner_update.request_link(request, self)

    @re_path(r"^perbarui/(?P<signed>[\w-]{20,400})/$")
    def update_home(self, request, signed):
        from sme_registry.views import owner_update

        return owner_update.owner_home(request, self, signed)

    @re_path(r"^perbarui/(?P<signed>[\w-]{20,400})/usaha/(?P<business_id>\d+)/$")
    def update_business(self, request, signed, business_id):
        from sme_registry.views import owner_update

        return owner_update.edit_business(request, self, signed, int(business_id))
