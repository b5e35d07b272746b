import pytest

from movement import seed


@pytest.fixture
def movement(tree):
    """Plan 119's movement loaded from its data file over the real unit tree."""
    return seed.load_movement(seed.read()).movement
