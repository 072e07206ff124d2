from django.db import models
from django.utils.translation import gettext_lazy as _


class OutboxEmail(models.Model):
    """An e-mail waiting to be sent, kept until it is: a mail failure loses nothing.

    Delivery is tried in the background right after the commit, and again by the
    `send_outbox` command (schedule it every few minutes) with a growing delay.
    """

    to = models.EmailField(_("to"))
    subject = models.CharField(_("subject"), max_length=255)
    body = models.TextField(_("body"))
    # Small text attachments such as a calendar file: filename, content, mimetype.
    attachments = models.JSONField(_("attachments"), default=list, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True, db_index=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")

    def __str__(self):
        return self.subject
