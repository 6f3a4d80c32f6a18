"""Demo data for the servicedesk app; called by tuijin.core.demo.load_demo inside its transaction."""


def load_demo_servicedesk() -> None:
    return None
