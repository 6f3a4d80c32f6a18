"""Registers supervision listeners in the task engine hooks; called from `SupervisionConfig.ready()`."""

from tuijin.tasks import hooks


def register() -> None:
    """Keep warnings in step with every status refresh. Safe to call more than once."""
    from .warnings import sync_warnings

    if sync_warnings not in hooks.after_status_refresh:
        hooks.after_status_refresh.append(sync_warnings)
