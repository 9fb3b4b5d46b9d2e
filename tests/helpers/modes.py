"""File modes: the umask a default shell gives, to prove the product tightens it."""

import os

import pytest


@pytest.fixture
def open_umask():
    """The process umask a default shell gives (group and other may read), restored after."""
    before = os.umask(0o022)
    yield
    os.umask(before)


def mode(path) -> int:
    """The permission bits of a file or folder."""
    return path.stat().st_mode & 0o777
