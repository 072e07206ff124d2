"""People for the tests: one factory for every role of the office.

    UserFactory(role=roles.OPERATOR, kecamatan="32.01.01")
    UserFactory(role=roles.VALIDATOR)
    UserFactory(superuser=True)

A role is the group the data migration creates; `kecamatan` (a code, a
Kecamatan or a list of either) gives the user an operator area.
"""

import factory

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

PASSWORD = "rahasia-123"


def _kecamatan_list(value):
    from sme_registry.models import Kecamatan

    if value is None:
        return []
    items = value if isinstance(value, (list, tuple)) else [value]
    return [k if isinstance(k, Kecamatan) else Kecamatan.objects.get(code=k) for k in items]


class UserFactory(factory.django.DjangoModelFactory):
    username = factory.Sequence(lambda n: f"petugas{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    first_name = factory.Sequence(lambda n: f"Petugas {n}")
    last_name = ""
    is_superuser = False
    is_staff = False
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    class Params:
        superuser = factory.Trait(is_superuser=True, is_staff=True)

    @factory.post_generation
    def role(user, create, extracted, **kwargs):
        if create and extracted:
            user.groups.add(Group.objects.get(name=extracted))

    @factory.post_generation
    def kecamatan(user, create, extracted, **kwargs):
        if not (create and extracted):
            return
        from sme_registry.models import StaffArea

        area, _created = StaffArea.objects.get_or_create(user=user)
        area.kecamatan.add(*_kecamatan_list(extracted))

    @classmethod
    def _after_postgeneration(cls, instance, create, results=None):
        if create:
            instance.save()
