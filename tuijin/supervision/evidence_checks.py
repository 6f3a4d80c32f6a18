"""Evidence checks (filled in by the evidence-checks work)."""


def register() -> None:
    pass
