"""The registry API at /api/registry/v1/ (django-ninja): each app's routers, one schema."""

from ninja import NinjaAPI

from content.forms_api import router as forms
from core.api import install_error_handlers
from sme_registry.api.owner_link import router as owner_link
from sme_registry.api.public import router as registry_public
from sme_registry.api.staff import router as staff
from sme_registry.api.submission import router as submission
from training_pages.activities_api import router as activities
from training_pages.signup_api import router as sign_ups

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

**Submitting a registration.** `POST registrations/` takes the registration page's steps in
one document (`owner`, `business`, `location`, `money`, `legal`, `extra`, `consent`, with the
field names of the page's forms; kecamatan and desa by their codes). It is checked by the
same forms, rules and duplicate checks as the page, and lands in the same review queue with
source `api`. Send an `Idempotency-Key` header (any unique string, e.g. a UUID) to make a
retry safe: the same key with the same body returns the first answer
(`Idempotent-Replayed: true`) and stores nothing twice; the same key with another body is
refused. With document scans and product photos, send the same document as the `document`
part of a multipart request to `POST registrations/with-files/`, each file in a part named
like `legal.pirt_file` or `photos.photo_1`; a refused file is named in the errors and
nothing is stored.

**Signing up for an activity.** `POST activities/{id}/sign-ups/` takes a business's
`tracking_code` and the `attendee_name` (empty when the owner attends), checked by the
sign-up page's own form and rules. 201 gives the state (`registered`, `waitlisted` with
its `waiting_list_position`, or `awaiting` approval) and the private participation page;
409 says why the page would refuse (`not_yet_open`, `closed`, `over`, `not_eligible`,
`already_signed_up`); a full activity puts the business on the waiting list.

**The owner's private link.** `POST owner-link/` with the owner's NIK or a tracking code
(`identifier`) sends the link to the owner's registered e-mail, as the page "Update your
data" does; the answer is 202 with the same message whether or not anything matched.

**Form pages.** `GET forms/{id}/` describes the questions of a live, public form page as
JSON Schema (draft 2020-12) and `POST forms/{id}/submissions/` sends the answers (one
property per question), checked, stored and e-mailed as on the page; 201 gives the
submission's id and the page's text after sending. The registration page's extra
questions are described the same way (`kind: registration_questions`); their answers go
in `extra` of `POST registrations/`.

Every POST takes an `Idempotency-Key`, as for registrations. A front end in a browser on
another origin may call the API once the site names that origin (`CORS_ALLOWED_ORIGINS`).

**Staff** (`staff/…`) need a personal API token, made by the staff member under
*Settings → API tokens* in the admin and sent as `Authorization: Bearer <token>`. A token
acts as its owner: it sees, changes and exports exactly what its owner could in the admin
(the same permission policies and kecamatan scope; a record outside it answers 404), it
stops working when revoked, `API_TOKEN_MAX_AGE_DAYS` after it was made (90 by default), or
when its owner may no longer sign in, and without one the answer is 401.
`staff/businesses/` lists with the admin list's filters and a cursor (`next`), oldest
first by `id` or by `updated_at` for "what changed since"; a later page costs what the
first does. NIKs, phones, e-mails are masked; `personal_data=true` on one record gives
them in clear to roles that may see them, and each such answer is written to the audit
trail, as every CSV export is (`staff/businesses/export.csv`, the admin export's columns).
`staff/businesses/{id}/review/` takes the record's current review step (`approve`,
`request_changes` or `reject`, the last two with the reason sent to the applicant) as the
admin's buttons do; send an `Idempotency-Key` so that a retry does not approve the next
step too.

**Limits.** Lists give at most 100 items (`limit`). Registrations, status lookups, sign-ups,
owner links and form submissions count against the same per-client hourly limits as their
pages (429 with `Retry-After` past it). Region and statistics answers may be cached by
clients (`Cache-Control`).

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
api.add_router("/", submission)
api.add_router("/", sign_ups)
api.add_router("/", owner_link)
api.add_router("/", forms)
api.add_router("/", staff)
