"""`restore_umask`, an autouse fixture for tests that run the command line in-process: main()
makes the process umask private, and the test process gets its own back."""

import os

import pytest


@pytest.fixture(autouse=True)
def restore_umask():
    before = os.umask(0o022)
    os.umask(before)
    yield
    os.umask(before)
