"""Registers supervision listeners in the task engine hooks (filled in by the warnings work)."""


def register() -> None:
    pass
