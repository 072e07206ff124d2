"""Checking one imported row, for the dry run and again, just before writing it, for the import.

A row is turned into the staff entry form's input (`fields.read_cell`) and
judged by the registration's own step forms, then matched to the registry:
by NIB first, then by the owner's NIK. The verdict says what the import
would do (create, update with the fields that change, likely duplicate,
nothing) or why it refuses the row, with each message keyed by the field
whose cell it belongs to.
"""

from collections import OrderedDict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from sme_registry import permissions, selectors, validators
from sme_registry.enums import CLOSED, Status
from sme_registry.forms import BusinessStepForm, FinanceStepForm, LocationStepForm, OwnerStepForm
from sme_registry.imports import fields
from sme_registry.models import Business, ImportRow, Owner
from sme_registry.services import BUSINESS_FIELDS, OWNER_FIELDS
from sme_registry.views.registration import to_registration

Outcome = ImportRow.Outcome
ROW = ""  # the key of messages about the row as a whole
STEP_FORMS = (
    (fields.OWNER, OwnerStepForm),
    (fields.BUSINESS, BusinessStepForm),
    (fields.LOCATION, LocationStepForm),
    (fields.FINANCE, FinanceStepForm),
)
_NAME_KEY = f"{fields.BUSINESS}-name"
_NIB_KEY = f"{fields.BUSINESS}-nib"
_NIK_KEY = f"{fields.OWNER}-nik"
_KECAMATAN_KEY = f"{fields.LOCATION}-kecamatan"
_DESA_KEY = f"{fields.LOCATION}-desa"
# Form input name → the attribute it fills on the record, where the two differ.
_ATTRIBUTE = {"kecamatan": "kecamatan_id", "desa": "desa_id"}
# The owner's personal data: a change is reported masked, never with the values on record
# (the report is shown to whoever may see the batch, whatever their role).
_MASKED = {
    "phone": validators.mask_phone,
    "email": validators.mask_email,
    "address": None,
    "birth_date": None,
}


@dataclass
class Verdict:
    outcome: str
    errors: dict = field(default_factory=dict)
    changes: dict = field(default_factory=dict)
    registration: object = None
    business: object = None
    owner: object = None

    def refuse(self, key, message):
        self.errors.setdefault(key, []).append(str(message))


def _form_value(value):
    """A record's value as a form would post it back."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "on" if value else ""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _masked(attribute, value):
    mask = _MASKED[attribute]
    if value in (None, ""):
        return "—"
    return mask(str(value)) if mask else _("(hidden)")


def _display(value):
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return str(value)


class RowChecker:
    """Checks the rows of one batch for one user; keeps what repeats between rows."""

    def __init__(self, batch, user):
        self.batch = batch
        self.user = user
        self.indexes = fields.column_indexes(batch.columns, batch.header)
        self.regions = fields.Regions()
        # The kecamatan the user may place records in (None: all), asked once.
        self.placeable = (
            None
            if permissions.sees_all_kecamatan(user)
            else set(permissions.area_kecamatan_ids(user))
        )
        self.changeable = permissions.business_policy.scoped(
            user, Business.objects.all(), action="change"
        )
        # NIBs seen earlier in this file: {NIB: row number}.
        self.seen_nib = {}
        # The names each desa's businesses are compared with, for the desa met last.
        self._candidates = OrderedDict()
        # What `prefetch` read for the rows about to be checked (None: ask row by row).
        self._known = None

    def remember(self, number, cells):
        """Note a row's NIB as seen without checking the row again (a dry run resumed)."""
        index = self.indexes.get(_NIB_KEY)
        if index is None or index >= len(cells):
            return
        try:
            nib = validators.normalize_nib(
                fields.read_cell(fields.BY_KEY[_NIB_KEY], cells[index], self.regions)
            )
        except (fields.CellError, ValidationError):
            return
        if nib:
            self.seen_nib.setdefault(nib, number)

    def prefetch(self, rows):
        """Read in a few queries what checking these rows would ask row by row.

        For the dry run, which writes nothing, so what it read stays true for the
        chunk. The import itself asks row by row: a row it writes changes the
        answer for the next (a NIK registered a row earlier).
        """
        identities, desa_ids = [], set()
        for row in rows:
            values = {}
            for key in (_NIB_KEY, _NIK_KEY, _KECAMATAN_KEY, _DESA_KEY):
                index = self.indexes.get(key)
                raw = row.cells[index] if index is not None and index < len(row.cells) else None
                try:
                    values[key] = fields.read_cell(fields.BY_KEY[key], raw, self.regions)
                except fields.CellError:
                    values[key] = ""
            identities.append(self._identity(values))
            try:
                if values[_DESA_KEY]:
                    desa_ids.add(int(self.regions.desa(values[_DESA_KEY], values[_KECAMATAN_KEY])))
            except fields.CellError:
                pass
        nibs = {nib for nib, _nik in identities if nib}
        niks = {nik for _nib, nik in identities if nik}
        by_nib = {}
        for business in (
            Business.objects.filter(nib__in=nibs)
            .exclude(status=Status.ARCHIVED)
            .select_related("owner")
            .order_by("pk")
        ):
            by_nib.setdefault(business.nib, business)
        by_nik = {owner.nik: owner for owner in Owner.objects.filter(nik__in=niks)}
        of_owner = {}
        for business in (
            Business.objects.filter(owner__in=list(by_nik.values()))
            .exclude(status__in=CLOSED)
            .order_by("pk")
        ):
            of_owner.setdefault(business.owner_id, []).append(business)
        matched = [b.pk for b in by_nib.values()] + [
            b.pk for group in of_owner.values() for b in group
        ]
        changeable = set(self.changeable.filter(pk__in=matched).values_list("pk", flat=True))
        self._known = {
            "nib": by_nib,
            "nik": by_nik,
            "of_owner": of_owner,
            "changeable": changeable,
        }
        # The names of the chunk's desa, in one query; kept for the chunk only, so memory
        # follows the chunk (a kecamatan's file: a few desa; the regency's: all of them).
        kept = {d: self._candidates[d] for d in desa_ids if d in self._candidates}
        missing = [d for d in desa_ids if d not in kept]
        if missing:
            kept.update(selectors.duplicate_candidates_by_desa(missing))
        self._candidates = OrderedDict(kept)

    # --- reading ------------------------------------------------------------------------

    def _read(self, cells, verdict):
        values = {}
        for key, index in self.indexes.items():
            raw = cells[index] if index < len(cells) else None
            try:
                values[key] = fields.read_cell(fields.BY_KEY[key], raw, self.regions)
            except fields.CellError as exc:
                verdict.refuse(key, exc)
        desa = values.get(_DESA_KEY)
        if desa:
            try:
                values[_DESA_KEY] = self.regions.desa(desa, values.get(_KECAMATAN_KEY))
            except fields.CellError as exc:
                verdict.refuse(_DESA_KEY, exc)
                values.pop(_DESA_KEY)
        return values

    # --- matching -----------------------------------------------------------------------

    def _identity(self, values):
        nib, nik = values.get(_NIB_KEY, ""), values.get(_NIK_KEY, "")
        try:
            nib = validators.normalize_nib(nib) if nib else ""
        except ValidationError:
            nib = ""
        try:
            nik = validators.parse_nik(nik).nik if nik else ""
        except ValidationError:
            nik = ""
        return nib, nik

    def _match(self, values, verdict):
        """The record this row updates and the owner it belongs to, by NIB then NIK."""
        nib, nik = self._identity(values)
        known = self._known
        if nib:
            business = (
                known["nib"].get(nib)
                if known is not None
                else Business.objects.filter(nib=nib)
                .exclude(status=Status.ARCHIVED)
                .select_related("owner")
                .order_by("pk")
                .first()
            )
            if business is not None:
                if nik and business.owner.nik != nik:
                    verdict.refuse(
                        _NIK_KEY, _("This NIB is registered to a business of another owner.")
                    )
                return business, business.owner
        if known is not None:
            owner = known["nik"].get(nik) if nik else None
        else:
            owner = Owner.objects.filter(nik=nik).first() if nik else None
        if owner is None:
            return None, None
        name = values.get(_NAME_KEY, "")
        if known is not None:
            candidates = known["of_owner"].get(owner.pk, [])
        else:
            candidates = list(
                Business.objects.filter(owner=owner).exclude(status__in=CLOSED).order_by("pk")
            )
        if nib:
            # A NIB not on record yet: this is another business of the same owner.
            candidates = [b for b in candidates if not b.nib]
        for business in candidates:
            if not name or selectors.similar_names(name, business.name):
                return business, owner
        return None, owner

    # --- the check ----------------------------------------------------------------------

    def _baseline(self, business, owner):
        """The form input of what is on record, so an empty cell keeps its value."""
        data = {}
        if owner is not None:
            draft = owner.get_latest_revision_as_object() if owner.latest_revision_id else owner
            for name in OWNER_FIELDS:
                form_name = name.removesuffix("_id")
                data[f"{fields.OWNER}-{form_name}"] = _form_value(getattr(draft, name))
        if business is not None:
            draft = (
                business.get_latest_revision_as_object()
                if business.latest_revision_id
                else business
            )
            for prefix, form_class in STEP_FORMS[1:]:
                for name in form_class._meta.fields:
                    value = getattr(draft, _ATTRIBUTE.get(name, name))
                    data[f"{prefix}-{name}"] = _form_value(value)
            return data, draft
        return data, None

    def check(self, number, cells):
        verdict = Verdict(Outcome.CREATE)
        values = self._read(cells, verdict)
        business, owner = self._match(values, verdict)
        if business is not None and not self._may_change(business):
            verdict.refuse(ROW, _("This business is registered outside your area."))
            business = None
        data, draft = self._baseline(business, owner)
        data.update({k: v for k, v in values.items() if v != ""})
        unreadable = set(verdict.errors)
        cleaned = {}
        for prefix, form_class in STEP_FORMS:
            # A field the form starts filled (workers: 0) starts so here too.
            for name, form_field in form_class.base_fields.items():
                if form_field.initial is not None and f"{prefix}-{name}" not in data:
                    data[f"{prefix}-{name}"] = _form_value(form_field.initial)
            form = form_class(data, prefix=prefix)
            if form.is_valid():
                cleaned[prefix] = form.cleaned_data
                continue
            for name, messages in form.errors.items():
                key = ROW if name == "__all__" else f"{prefix}-{name}"
                if key in unreadable:
                    continue  # the cell's own message says it already
                for message in messages:
                    verdict.refuse(key if key in fields.BY_KEY else ROW, message)
        if not verdict.errors:
            self._check_placement(cleaned, business, verdict)
        nib = cleaned.get(fields.BUSINESS, {}).get("nib", "")
        if nib and not verdict.errors:
            first = self.seen_nib.setdefault(nib, number)
            if first != number:
                verdict.refuse(_NIB_KEY, _("The same NIB is on row %(row)s.") % {"row": first})
        if verdict.errors:
            verdict.outcome = Outcome.REFUSED
            return verdict
        registration = to_registration(cleaned, {})
        verdict.registration, verdict.business, verdict.owner = registration, business, owner
        if business is not None:
            verdict.changes = self._changes(registration, draft, owner, values)
            verdict.outcome = Outcome.UPDATE if verdict.changes else Outcome.UNCHANGED
        else:
            b = registration.business
            if selectors.likely_duplicate_ids(
                b["name"], b["desa_id"], candidates=self._desa_candidates(b["desa_id"])
            ):
                verdict.outcome = Outcome.DUPLICATE
        return verdict

    # The desa whose names are kept between rows checked one by one (the import itself).
    KEEP_DESA = 64

    def _remember_candidates(self, desa_id, names):
        self._candidates[desa_id] = names
        self._candidates.move_to_end(desa_id)
        while len(self._candidates) > self.KEEP_DESA:
            self._candidates.popitem(last=False)

    def _desa_candidates(self, desa_id):
        if desa_id in self._candidates:
            self._candidates.move_to_end(desa_id)
        else:
            self._remember_candidates(desa_id, selectors.duplicate_candidates(desa_id))
        return self._candidates[desa_id]

    def _may_change(self, business):
        if self._known is not None:
            return business.pk in self._known["changeable"]
        return self.changeable.filter(pk=business.pk).exists()

    def _check_placement(self, cleaned, business, verdict):
        kecamatan = cleaned[fields.LOCATION]["kecamatan"]
        moved = business is None or kecamatan.pk != business.kecamatan_id
        if moved and self.placeable is not None and kecamatan.pk not in self.placeable:
            verdict.refuse(
                _KECAMATAN_KEY,
                _(
                    "Kecamatan %(name)s is outside your area: you can only import "
                    "records of your own kecamatan."
                )
                % {"name": kecamatan.name},
            )

    def _changes(self, registration, draft, owner, values):
        """{field key: [before, after]} for the cells that change what is on record."""
        changes = {}
        owner_draft = owner.get_latest_revision_as_object() if owner.latest_revision_id else owner
        for key in values:
            import_field = fields.BY_KEY[key]
            name = import_field.name
            if import_field.section == fields.OWNER:
                if name == "nik":
                    continue
                attribute = _ATTRIBUTE.get(name, name)
                before, after = getattr(owner_draft, attribute), registration.owner.get(attribute)
            else:
                attribute = _ATTRIBUTE.get(name, name)
                if attribute not in BUSINESS_FIELDS:
                    continue
                before, after = getattr(draft, attribute), registration.business.get(attribute)
            if _form_value(before) != _form_value(after):
                if import_field.section == fields.OWNER and attribute in _MASKED:
                    changes[key] = [_masked(attribute, before), _masked(attribute, after)]
                else:
                    changes[key] = [self._shown(attribute, before), self._shown(attribute, after)]
        return changes

    def _shown(self, attribute, value):
        if attribute == "kecamatan_id":
            return self.regions.kecamatan_names.get(value, "—")
        if attribute == "desa_id":
            return self.regions.desa_names.get(value, "—")
        return _display(value)
