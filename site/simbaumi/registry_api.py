"""The registry API at /api/registry/v1/ (django-ninja): each app's routers, one schema."""

from ninja import NinjaAPI

from core.api import install_error_handlers
from sme_registry.api.public import router as registry_public
from training_pages.activities_api import router as activities

DESCRIPTION = """
The registry of small businesses (UMKM) of Kabupaten Bogor, over JSON.

**Errors** always have the shape `{"errors": [{"field": ..., "code": ..., "message": ...}]}`:
`field` names the parameter or body field (`null` for the request as a whole), `code` is
stable (`required`, `invalid`, `invalid_choice`, `too_long`, `not_found`, `rate_limited`, …),
`message` is a sentence in Indonesian (the default) or English (`Accept-Language: en`).

**The directory** lists validated businesses whose owners opted in, with only what they chose
to show; an owner who opts out is gone from it at once.

**Activities** are live, public trainings and events that are not over, with seats left and
the sign-up state as the public page shows them; a meeting link is never returned.

**Limits.** Lists give at most 100 items (`limit`). Status lookups by tracking code count against the same per-client hourly limit
as the public status page (429 with `Retry-After` past it). Region and statistics answers
may be cached by clients (`Cache-Control`).

**Personal data.** No public endpoint returns a person's data. Statistics count validated
businesses only; cells of 1 to 4 businesses are suppressed (`count: null`), together with
a second cell wherever one alone could be worked back from the total.
"""

api = NinjaAPI(
    title="SI MBA UMI registry API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="registry_api",
    docs_url="/docs/",
)
install_error_handlers(api)
api.add_router("/", registry_public)
api.add_router("/", activities)
