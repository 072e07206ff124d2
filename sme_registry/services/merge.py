"""Merging duplicates: what moves from the duplicate to the record that is kept."""

from sme_registry.models import Business

# Relations that describe the duplicate record itself rather than what happened to
# the business; they stay with it (it is archived, not deleted).
_KEEP_ON_DUPLICATE = {"merged_from", "update_reminder"}


def move_everything(survivor, duplicate):
    """Everything that points at the duplicate moves to the survivor; nothing is lost.

    Snapshots, documents, photos and whatever later apps attach (trainings,
    mentoring) move; answers the survivor lacks are copied. The caller
    (`transitions.merge`) archives the duplicate with a pointer to the survivor.
    """
    for relation in Business._meta.related_objects:
        if relation.name in _KEEP_ON_DUPLICATE or relation.many_to_many:
            continue
        if relation.related_model is Business:
            continue
        rows = relation.related_model._base_manager.filter(**{relation.field.name: duplicate})
        # A model whose rows are unique per business (one participation per
        # training) names the rows that would collide; they stay on the archive.
        kept_back = getattr(relation.related_model, "rows_kept_on_merge", None)
        if kept_back is not None:
            rows = rows.exclude(pk__in=kept_back(survivor, duplicate).values("pk"))
        rows.update(**{relation.field.name: survivor})
    answers = dict(duplicate.extra_answers or {})
    answers.update(survivor.extra_answers or {})
    Business.objects.filter(pk=survivor.pk).update(extra_answers=answers)
    duplicate.possible_duplicates.clear()
    for other in Business.objects.filter(possible_duplicates=duplicate):
        other.possible_duplicates.remove(duplicate)
