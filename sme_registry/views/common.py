from django.template.response import TemplateResponse


def too_many_requests(request):
    response = TemplateResponse(request, "sme_registry/too_many_requests.html", {}, status=429)
    response["Retry-After"] = "3600"
    return response
