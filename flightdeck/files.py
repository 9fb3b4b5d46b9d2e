"""Writing a file the product produces: whole or not at all, and readable by its owner only.

Every export, side file and roles file is written here. The text goes to a temporary file in
the same folder (created owner-only, 0600), which then replaces the target in one step, so a
reader never sees half a file and a crash leaves the earlier file as it was.
"""

import os
import tempfile
from pathlib import Path

OWNER_ONLY = 0o600


def write_atomically(path: Path | str, content: str | bytes) -> Path:
    """Write `content` (text as UTF-8) to `path`, replacing any earlier file; returns the path.

    Creates the parent folder (owner-only) when it is missing.
    """
    path = Path(path)
    data = content.encode("utf-8") if isinstance(content, str) else content
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, OWNER_ONLY)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path
