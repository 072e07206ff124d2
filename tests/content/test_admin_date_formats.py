import pytest

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import override


@pytest.mark.parametrize("language", [code for code, _name in settings.LANGUAGES])
def test_dates_written_by_the_admin_pickers_are_accepted_in_every_language(language):
    moment = timezone.make_aware(timezone.datetime(2026, 12, 4, 9, 30))
    with override(language):
        picked = moment.strftime(settings.WAGTAIL_DATETIME_FORMAT)
        assert forms.DateTimeField().clean(picked) == moment
        day = moment.date().strftime(settings.WAGTAIL_DATE_FORMAT)
        assert forms.DateField().clean(day) == moment.date()
        assert forms.TimeField().clean("09:30") == moment.time()
