from django.db import models
from django.utils.translation import gettext_lazy as _


class Sex(models.TextChoices):
    MALE = "L", _("male")
    FEMALE = "P", _("female")


class Education(models.TextChoices):
    NONE = "none", _("no formal schooling")
    SD = "sd", _("primary school (SD)")
    SMP = "smp", _("junior high school (SMP)")
    SMA = "sma", _("senior high school (SMA/SMK)")
    DIPLOMA = "diploma", _("diploma (D1–D4)")
    S1 = "s1", _("bachelor (S1)")
    S2 = "s2", _("master or doctorate (S2/S3)")


class LegalForm(models.TextChoices):
    PERORANGAN = "perorangan", _("sole proprietorship")
    CV = "cv", _("CV")
    PT = "pt", _("PT")
    KOPERASI = "koperasi", _("cooperative")
    FIRMA = "firma", _("firm (Fa)")
    LAINNYA = "lainnya", _("other")


class Source(models.TextChoices):
    PUBLIC_FORM = "public_form", _("public form")
    STAFF_ENTRY = "staff_entry", _("staff entry")
    IMPORT = "import", _("import")
    API = "api", _("API")


class DocumentKind(models.TextChoices):
    NIB = "nib", _("NIB (business ID number)")
    PIRT = "pirt", _("PIRT (home-industry food permit)")
    HALAL = "halal", _("halal certificate")
    BPOM = "bpom", _("BPOM registration")
    HKI = "hki", _("HKI (brand registration)")
    SNI = "sni", _("SNI certificate")
