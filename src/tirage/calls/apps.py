from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_save


def _forget(**_kwargs) -> None:
    from tirage.calls.models import forget_current_call  # models load after the app registry

    forget_current_call()


class CallsConfig(AppConfig):
    name = "tirage.calls"
    label = "calls"

    def ready(self) -> None:
        # A call, feature, value or office saved during a request: the request's
        # remembered current call (CallQuerySet.current) is read again.
        for model_name in ("Call", "Feature", "FeatureValue", "Office"):
            model = self.get_model(model_name)
            post_save.connect(_forget, sender=model, dispatch_uid=f"forget-call-{model_name}")
            post_delete.connect(_forget, sender=model, dispatch_uid=f"forget-call-{model_name}")
        offices = self.get_model("Call")._meta.get_field("offices").remote_field.through
        m2m_changed.connect(_forget, sender=offices, dispatch_uid="forget-call-m2m")
