from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "evaluation"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from evaluation.models import Option, Question, Section
        from evaluation.state import content_changed

        # Each process keeps the banks' content (evaluation.state.bank_content): any change to it
        # raises the banks' revision, so every process re-reads it.
        for model in (Section, Question, Option):
            post_save.connect(content_changed, sender=model, dispatch_uid=f"bank-content-saved-{model.__name__}")
            post_delete.connect(content_changed, sender=model, dispatch_uid=f"bank-content-deleted-{model.__name__}")
