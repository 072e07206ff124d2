from django.template.response import TemplateResponse


def too_many_requests(request):
    """The answer to a client past a rate limit: a readable page, and when to come back."""
    response = TemplateResponse(request, "core/too_many_requests.html", {}, status=429)
    response["Retry-After"] = "3600"
    return response
