"""Files and folders the product creates: whole or not at all, and readable by their owner only.

Every export, side file and roles file is written by `write_atomically`: the text goes to a
temporary file in the same folder (created owner-only, 0600), which then replaces the target in
one step, so a reader never sees half a file and a crash leaves the earlier file as it was.
Files written as a stream (the synthetic extracts) are opened by `create_owner_only`.

Some files are created by others on the product's behalf: DuckDB's write-ahead log
(`<db>.wal`) and its spill folder (`<db>.tmp`) hold case rows, and DuckDB creates them with the
process umask. `private_umask` makes the process create everything owner-only, whoever
creates it.
"""

import os
import tempfile
from pathlib import Path
from typing import IO

OWNER_ONLY = 0o600
OWNER_ONLY_FOLDER = 0o700
# Group and other may do nothing with what the process creates.
PRIVATE_MASK = 0o077


def private_umask() -> int:
    """Make every file and folder this process creates from now on owner-only (files 0600,
    folders 0700 at most), by adding group and other to the umask; returns the umask before.

    A stricter umask already in force is kept. The umask belongs to the whole process: call
    this at the entry points (command line, app) and before opening the database.
    """
    before = os.umask(PRIVATE_MASK)
    os.umask(before | PRIVATE_MASK)
    return before


def make_owner_only_folder(folder: Path | str) -> Path:
    """Create `folder` and any missing parents owner-only (0700); returns it.

    Folders that already exist are left as they are (a parent may be a shared folder the user
    chose). The mode is set explicitly because mkdir's mode is cut down by the umask, not
    enforced by it.
    """
    folder = Path(folder)
    missing = []
    for candidate in (folder, *folder.parents):
        if candidate.exists():
            break
        missing.append(candidate)
    for created in reversed(missing):
        created.mkdir(mode=OWNER_ONLY_FOLDER, exist_ok=True)
        created.chmod(OWNER_ONLY_FOLDER)
    return folder


def create_owner_only(path: Path | str, binary: bool = False) -> IO:
    """Open `path` for writing from empty, owner-only (0600) from the first byte, also when it
    existed before with a wider mode. Text is UTF-8 with line ends as written."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, OWNER_ONLY)
    try:
        os.fchmod(fd, OWNER_ONLY)
    except BaseException:
        os.close(fd)
        raise
    if binary:
        return os.fdopen(fd, "wb")
    return os.fdopen(fd, "w", encoding="utf-8", newline="")


def write_atomically(path: Path | str, content: str | bytes) -> Path:
    """Write `content` (text as UTF-8) to `path`, replacing any earlier file; returns the path.

    Creates the parent folder (owner-only) when it is missing.
    """
    path = Path(path)
    data = content.encode("utf-8") if isinstance(content, str) else content
    make_owner_only_folder(path.parent)
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
