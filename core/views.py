from django.template.response import TemplateResponse


def too_many_requests(request):
    """The answer to a client past a rate limit: a readable page, and when to come back."""
    response = TemplateResponse(request, "core/too_many_requests.html", {}, status=429)
    response["Retry-After"] = "3600"
    return response


def switch_language(request, code):
    """The language switch's links: keep the choice in the language cookie, go back.

    Django's `set_language` wants a POST, and a form on every page would put a CSRF
    token on every page, which no cache can share between visitors. Choosing a language
    changes nothing but how the site speaks to this browser, so a link is safe.
    """
    from django.conf import settings
    from django.http import Http404, HttpResponseRedirect
    from django.utils.http import url_has_allowed_host_and_scheme

    if code not in dict(settings.LANGUAGES):
        raise Http404
    back = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = "/"
    response = HttpResponseRedirect(back)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    response["Cache-Control"] = "no-store"
    return response
