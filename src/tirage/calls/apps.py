from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_save


class CallsConfig(AppConfig):
    name = "tirage.calls"
    label = "calls"

    def ready(self) -> None:
        # Models load after the app registry, hence this import here.
        from tirage.calls.models import Call, Feature, FeatureValue, Office, forget_current_call

        def forget(**_kwargs) -> None:
            forget_current_call()

        # A call, feature, value or office saved during a request: the request's
        # remembered current call (CallQuerySet.current) is read again.
        for model in (Call, Feature, FeatureValue, Office):
            uid = f"forget-call-{model.__name__}"
            post_save.connect(forget, sender=model, weak=False, dispatch_uid=uid)
            post_delete.connect(forget, sender=model, weak=False, dispatch_uid=uid)
        m2m_changed.connect(
            forget, sender=Call.offices.through, weak=False, dispatch_uid="forget-call-m2m"
        )
