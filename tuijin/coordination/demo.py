"""Demo data for the coordination app; called by tuijin.core.demo.load_demo inside its transaction."""


def load_demo_coordination() -> None:
    return None
