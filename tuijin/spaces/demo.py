"""Demo data for the spaces app; called by tuijin.core.demo.load_demo inside its transaction."""


def load_demo_spaces() -> None:
    return None
