import logging

from django.conf import settings
from django.db import models, transaction
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.contrib.forms.forms import BaseForm, FormBuilder
from wagtail.contrib.forms.models import AbstractEmailForm, AbstractFormField
from wagtail.contrib.forms.panels import FormSubmissionsPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.search import index

from content.blocks import RICH_TEXT_FEATURES
from core import ratelimit
from core.api_fields import FormFieldsField, RichTextHTMLField
from core.spam import SpamProtectionMixin, claim_submission
from core.views import too_many_requests

logger = logging.getLogger(__name__)


class ProtectedFormBuilder(FormBuilder):
    """Builds the editor-defined form on top of the spam-protected base."""

    def get_form_class(self):
        return type("PublicForm", (SpamProtectionMixin, BaseForm), self.formfields)


class FormField(AbstractFormField):
    page = ParentalKey("content.FormPage", on_delete=models.CASCADE, related_name="form_fields")


class FormPage(RoutablePageMixin, AbstractEmailForm):
    """A form that editors build themselves (contact, feedback, surveys).

    A successful POST redirects to a thank-you address, so reloading the page
    never sends the form again; a repeated POST of the same form is recognised
    by its token and stores nothing new. The registry API sends the same form
    (content.forms_api); both count against one per-client hourly limit.
    """

    intro = RichTextField(_("introduction"), features=RICH_TEXT_FEATURES, blank=True)
    thank_you_text = RichTextField(_("text after sending"), features=RICH_TEXT_FEATURES, blank=True)
    submit_label = models.CharField(_("submit button label"), max_length=60, blank=True)

    form_builder = ProtectedFormBuilder
    parent_page_types = ["content.HomePage", "content.StandardPage"]
    subpage_types = []
    template = "pages/form_page.html"
    landing_page_template = "pages/form_page_landing.html"

    content_panels = AbstractEmailForm.content_panels + [
        FormSubmissionsPanel(),
        FieldPanel("intro"),
        InlinePanel("form_fields", label=_("Form fields")),
        FieldPanel("submit_label"),
        FieldPanel("thank_you_text"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("from_address"), FieldPanel("to_address")]),
                FieldPanel("subject"),
            ],
            heading=_("E-mail"),
        ),
    ]
    search_fields = AbstractEmailForm.search_fields + [index.SearchField("intro")]
    # What the form asks, to draw it elsewhere; never its recipients (to/from address, subject).
    api_fields = [
        APIField("intro", serializer=RichTextHTMLField()),
        APIField("form_fields", serializer=FormFieldsField()),
        APIField("submit_label"),
        APIField("thank_you_text", serializer=RichTextHTMLField()),
    ]

    class Meta:
        verbose_name = _("form page")
        verbose_name_plural = _("form pages")

    def submissions_limited(self, request):
        """Count one valid submission of this client to any form page; True past the limit."""
        return ratelimit.is_limited(
            request, "form-submission", settings.FORM_SUBMISSIONS_PER_HOUR, 3600
        )

    def process_form_submission(self, form):
        # Store first; e-mail after the commit so a mail failure cannot undo it.
        submission = self.get_submission_class().objects.create(
            form_data=form.cleaned_data, page=self
        )
        if self.to_address:
            from content.tasks import send_form_submission_email

            transaction.on_commit(
                lambda: send_form_submission_email.enqueue(self.pk, submission.pk)
            )
        return submission

    @path("")
    def form_view(self, request):
        if request.method == "POST":
            form = self.get_form(request.POST, request.FILES, page=self, user=request.user)
            if form.is_valid():
                if self.submissions_limited(request):
                    return too_many_requests(request)
                if claim_submission(form.submission_nonce, f"form-page-{self.pk}"):
                    self.process_form_submission(form)
                return redirect(self.url + self.reverse_subpage("thanks"))
        else:
            form = self.get_form(page=self, user=request.user)
        context = self.get_context(request)
        context["form"] = form
        return TemplateResponse(request, self.get_template(request), context)

    @path("terima-kasih/", name="thanks")
    def thanks_view(self, request):
        return self.render_landing_page(request)
