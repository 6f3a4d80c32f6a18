import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def english(settings):
    """Assertions read the English source strings, whatever translations are compiled."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield
