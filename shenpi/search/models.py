"""The synonyms an administrator keeps (营业执照 ↔ 企业登记): a query word finds what its
synonyms find."""

from django.core.cache import cache
from django.db import models
from django.utils.translation import gettext_lazy as _

SYNONYMS_KEY = "search:synonyms:v1"


class Synonym(models.Model):
    words = models.CharField(
        _("同义词组"),
        max_length=200,
        help_text=_("以空格分隔的一组同义词，如：营业执照 企业登记"),
    )
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("同义词")
        verbose_name_plural = _("同义词")
        ordering = ["id"]

    def __str__(self):
        return self.words


def synonym_map() -> dict[str, tuple[str, ...]]:
    """{word: its synonyms} of the active groups (a word in two groups has both's), read
    once and kept in the shared cache until a group is saved or deleted."""
    table = cache.get(SYNONYMS_KEY)
    if table is None:
        table = {}
        for line in Synonym.objects.filter(active=True).values_list("words", flat=True):
            group = list(dict.fromkeys(w.lower() for w in line.split() if w))
            for word in group:
                table.setdefault(word, [])
                table[word].extend(w for w in group if w != word and w not in table[word])
        table = {word: tuple(others) for word, others in table.items()}
        cache.set(SYNONYMS_KEY, table, 3600)
    return table


def forget_synonyms(**_kwargs) -> None:
    cache.delete(SYNONYMS_KEY)
