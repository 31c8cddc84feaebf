import uuid

from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_save


class CallsConfig(AppConfig):
    name = "tirage.calls"
    label = "calls"

    def ready(self) -> None:
        # Models load after the app registry, hence this import here.
        from tirage.calls.models import (
            Call,
            Feature,
            FeatureValue,
            Office,
            forget_current_call,
            structure_changed,
        )

        def forget(**_kwargs) -> None:
            forget_current_call()

        # A feature, value or office saved or deleted: a new structure version for its
        # call (every process then reads the structure again, see _with_cached_structure).
        # After the row's change, in its transaction: a request never caches the old
        # structure under the new version.
        def feature_changed(instance, **_kwargs) -> None:
            structure_changed(call_id=instance.call_id)

        def value_changed(instance, **_kwargs) -> None:
            call_id = Feature.objects.filter(pk=instance.feature_id).values("call_id")[:1]
            Call.objects.filter(pk__in=call_id).update(structure_version=uuid.uuid4())

        def office_changed(**_kwargs) -> None:
            structure_changed()  # offices are shared by calls; few calls, rare changes

        def offices_changed(instance, action, **_kwargs) -> None:
            if action in ("post_add", "post_remove", "post_clear"):
                structure_changed(call_id=instance.pk if isinstance(instance, Call) else None)

        for sender, changed in (
            (Feature, feature_changed),
            (FeatureValue, value_changed),
            (Office, office_changed),
        ):
            uid = f"structure-{sender.__name__}"
            post_save.connect(changed, sender=sender, weak=False, dispatch_uid=uid)
            post_delete.connect(changed, sender=sender, weak=False, dispatch_uid=uid)
        m2m_changed.connect(
            offices_changed, sender=Call.offices.through, weak=False, dispatch_uid="structure-m2m"
        )

        # A call, feature, value or office saved during a request: the request's
        # remembered current call (CallQuerySet.current) is read again.
        for model in (Call, Feature, FeatureValue, Office):
            uid = f"forget-call-{model.__name__}"
            post_save.connect(forget, sender=model, weak=False, dispatch_uid=uid)
            post_delete.connect(forget, sender=model, weak=False, dispatch_uid=uid)
        m2m_changed.connect(
            forget, sender=Call.offices.through, weak=False, dispatch_uid="forget-call-m2m"
        )
