from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "shenpi.search"
    label = "search"
    verbose_name = "站内搜索"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from .models import Synonym, forget_synonyms

        post_save.connect(forget_synonyms, sender=Synonym, dispatch_uid="synonyms_saved")
        post_delete.connect(forget_synonyms, sender=Synonym, dispatch_uid="synonyms_deleted")
