from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation.trans_real import parse_accept_lang_header

# JSON endpoints: their callers are programs, which say the language they want.
API_PREFIX = "/api/"


class LanguageCookieMiddleware:
    """Bahasa Indonesia unless the visitor chose English with the language switch.

    Django's LocaleMiddleware would follow the browser's Accept-Language, and
    many phones in Indonesia are set to English; the office wants the public
    site in Indonesian by default. The choice is kept in the language cookie
    that Django's `set_language` view writes. The JSON API instead answers in the
    language of the request's Accept-Language (Indonesian when it names neither),
    since an integrator sets it per request and has no language cookie.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.languages = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        api = request.path_info.startswith(API_PREFIX)
        if api:
            language = self._accepted(request.META.get("HTTP_ACCEPT_LANGUAGE", ""))
        else:
            language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in self.languages:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        patch_vary_headers(response, ("Accept-Language",) if api else ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response

    def _accepted(self, header):
        """The first of the site's languages that Accept-Language names (en-US counts as en)."""
        for code, _quality in parse_accept_lang_header(header[:255]):
            base = code.split("-")[0].lower()
            if base in self.languages:
                return base
        return None
