"""The shape of the package, checked from its source: no import cycles between flightdeck
modules, short modules, no module treated as optional, test folders that mirror the package,
tests that import helpers (never conftest or another test module), and the subpackages by
concern. Only the source is read (with `ast`); nothing is imported.
"""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "flightdeck"
TESTS = ROOT / "tests"

MAX_LINES = 300

# The first-level subpackages, one per concern; a new concern is added here on purpose.
SUBPACKAGES = {
    "access",
    "app",
    "cli",
    "engine",
    "extracts",
    "national",
    "partners",
    "peers",
    "present",
    "profile",
    "stats",
    "store",
    "suspects",
    "synthetic",
}
APP_SUBPACKAGES = {"data", "pages"}

# Top-level test files that check the whole product rather than one top-level module, so they
# have no flightdeck/<name>.py of their own. Kept minimal: a test file whose name matches a
# module (test_exports.py, test_settings.py for flightdeck/settings.py) needs no entry here,
# and `test_allow_list_is_minimal` turns such an entry away.
WHOLE_PRODUCT_TESTS = {
    "test_layout.py",  # this file: the shape of the whole package
    "test_packaging.py",  # the built wheel and what travels inside it
}

# Folders under tests/ that are not test folders for a subpackage.
NOT_MIRRORED = {"helpers", "__pycache__"}

OPTIONAL_IMPORT_ERRORS = {"ImportError", "ModuleNotFoundError", "Exception", "BaseException"}


def _package_files() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


def _test_files() -> list[Path]:
    return sorted(p for p in TESTS.rglob("*.py") if "__pycache__" not in p.parts)


def _rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def _parse(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _module_name(path: Path) -> str:
    """`flightdeck/store/loads.py` -> `flightdeck.store.loads`; a package's `__init__.py` is the
    package itself (`flightdeck/store/__init__.py` -> `flightdeck.store`)."""
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_module(name: str) -> bool:
    """Whether a dotted flightdeck name is a module or package in the source tree."""
    base = ROOT.joinpath(*name.split("."))
    return base.with_suffix(".py").is_file() or (base / "__init__.py").is_file()


def _existing(name: str) -> str | None:
    """The longest prefix of a dotted name that is a flightdeck module (a name imported from a
    module is not itself a module), or None if the name is not in flightdeck."""
    parts = name.split(".")
    if parts[0] != "flightdeck":
        return None
    while parts:
        candidate = ".".join(parts)
        if _is_module(candidate):
            return candidate
        parts.pop()
    return None


def _from_base(node: ast.ImportFrom, importer: str, is_package: bool) -> str:
    """The absolute module a `from ... import` names, resolving relative imports."""
    if node.level == 0:
        return node.module or ""
    package = importer.split(".") if is_package else importer.split(".")[:-1]
    package = package[: len(package) - (node.level - 1)]
    return ".".join(package + ([node.module] if node.module else []))


def _imports_of(tree: ast.AST, importer: str, is_package: bool = False) -> set[str]:
    """Every flightdeck module imported anywhere in a tree (top level, in functions, under
    `if TYPE_CHECKING:`), each resolved to the exact module: `from flightdeck.store import
    loads` is `flightdeck.store.loads` when that module exists, else `flightdeck.store`."""
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                target = _existing(alias.name)
                if target:
                    found.add(target)
        elif isinstance(node, ast.ImportFrom):
            base = _from_base(node, importer, is_package)
            for alias in node.names:
                target = _existing(f"{base}.{alias.name}") if alias.name != "*" else None
                target = target or _existing(base)
                if target:
                    found.add(target)
    return found


def _import_graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for path in _package_files():
        name = _module_name(path)
        imported = _imports_of(_parse(path), name, is_package=path.name == "__init__.py")
        graph[name] = imported - {name}  # a module naming itself is not a cycle between modules
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One cycle (as a path a -> ... -> a) for each strongly connected component of more than
    one module (Tarjan's algorithm, then a walk inside the component)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[set[str]] = []

    def connect(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for succ in sorted(graph.get(node, ())):
            if succ not in index:
                connect(succ)
                low[node] = min(low[node], low[succ])
            elif succ in on_stack:
                low[node] = min(low[node], index[succ])
        if low[node] == index[node]:
            component = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.add(member)
                if member == node:
                    break
            if len(component) > 1:
                components.append(component)

    for node in sorted(graph):
        if node not in index:
            connect(node)

    cycles = []
    for component in components:
        start = min(component)
        # breadth-first inside the component from `start` back to `start`: the shortest cycle
        paths = {start: [start]}
        frontier = [start]
        cycle = None
        while frontier and cycle is None:
            nxt = []
            for node in frontier:
                for succ in sorted(graph.get(node, set()) & component):
                    if succ == start:
                        cycle = paths[node] + [start]
                        break
                    if succ not in paths:
                        paths[succ] = paths[node] + [succ]
                        nxt.append(succ)
                if cycle:
                    break
            frontier = nxt
        cycles.append(cycle or sorted(component))
    return sorted(cycles)


# --- 1. no import cycles ---------------------------------------------------------------------


def test_import_resolution_finds_modules_and_names() -> None:
    """The resolver itself: a name that is a module is the module, a name that is not is the
    module it comes from; imports in functions and relative imports count."""
    source = (
        "import flightdeck.store.loads\n"
        "from flightdeck.store import busy, DatabaseBusyNotAModule\n"
        "from flightdeck.engine.catalogue import load_catalogue\n"
        "def f():\n"
        "    from flightdeck import settings\n"
        "    from . import ui\n"
        "import os\n"
    )
    found = _imports_of(ast.parse(source), "flightdeck.app.registry")
    assert found == {
        "flightdeck.store.loads",
        "flightdeck.store.busy",
        "flightdeck.store",
        "flightdeck.engine.catalogue",
        "flightdeck.settings",
        "flightdeck.app.ui",
    }


def test_cycle_finder_reports_a_cycle() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a", "d"}, "d": set()}
    assert _cycles(graph) == [["a", "b", "c", "a"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycles_between_flightdeck_modules() -> None:
    graph = _import_graph()
    assert sum(len(targets) for targets in graph.values()) > 0, "no flightdeck imports found"
    cycles = _cycles(graph)
    assert not cycles, "import cycles between flightdeck modules:\n" + "\n".join(
        "  " + " -> ".join(cycle) for cycle in cycles
    )


# --- 2. modules stay short -------------------------------------------------------------------


def test_modules_stay_short() -> None:
    files = _package_files()
    assert files, "no modules found under flightdeck/"
    counts = {_rel(p): len(p.read_text(encoding="utf-8").splitlines()) for p in files}
    long = {path: n for path, n in counts.items() if n > MAX_LINES}
    assert not long, f"modules over {MAX_LINES} lines:\n" + "\n".join(
        f"  {path}: {n} lines" for path, n in sorted(long.items())
    )


# --- 3. no module treats another as optional -------------------------------------------------


def _catches_import_failure(handler: ast.ExceptHandler) -> bool:
    if handler.type is None:  # a bare `except:`
        return True
    kinds = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    for kind in kinds:
        name = kind.attr if isinstance(kind, ast.Attribute) else getattr(kind, "id", None)
        if name in OPTIONAL_IMPORT_ERRORS:
            return True
    return False


def _imports_flightdeck(node: ast.AST) -> bool:
    if isinstance(node, ast.Import):
        return any(alias.name.split(".")[0] == "flightdeck" for alias in node.names)
    if isinstance(node, ast.ImportFrom):
        return node.level > 0 or (node.module or "").split(".")[0] == "flightdeck"
    return False


def _optional_imports(tree: ast.AST) -> list[tuple[int, str]]:
    """Where a tree looks a module up with `find_spec` or guards a flightdeck import with
    `try: ... except ImportError` (or ModuleNotFoundError, Exception, a bare except)."""
    found = []
    for node in ast.walk(tree):
        used = getattr(node, "attr", None) if isinstance(node, ast.Attribute) else None
        used = node.id if isinstance(node, ast.Name) else used
        if used == "find_spec":
            found.append((node.lineno, "find_spec"))
        elif isinstance(node, ast.ImportFrom) and any(a.name == "find_spec" for a in node.names):
            found.append((node.lineno, "imports find_spec"))
        elif isinstance(node, (ast.Try, ast.TryStar)) and any(
            map(_catches_import_failure, node.handlers)
        ):
            for stmt in node.body:
                for inner in ast.walk(stmt):
                    if _imports_flightdeck(inner):
                        found.append((inner.lineno, "flightdeck import guarded by try/except"))
    return found


def test_optional_import_checker_catches_guarded_imports() -> None:
    source = (
        "import importlib.util\n"
        "try:\n"
        "    from flightdeck.store import loads\n"
        "except ImportError:\n"
        "    loads = None\n"
        "def f():\n"
        "    try:\n"
        "        import flightdeck.peers\n"
        "    except (OSError, ModuleNotFoundError):\n"
        "        pass\n"
        "    return importlib.util.find_spec('flightdeck.stats')\n"
        "try:\n"
        "    import flightdeck.settings\n"
        "except KeyError:\n"  # not an import guard
        "    pass\n"
    )
    assert [line for line, _ in _optional_imports(ast.parse(source))] == [3, 8, 11]


def test_no_module_treats_another_as_optional() -> None:
    offenders = [
        f"  {_rel(path)}:{line}: {what}"
        for path in _package_files()
        for line, what in _optional_imports(_parse(path))
    ]
    assert not offenders, "flightdeck modules treat others as optional:\n" + "\n".join(offenders)


# --- 4. test folders mirror the package ------------------------------------------------------


def test_test_folders_mirror_subpackages() -> None:
    folders = sorted(
        p.name
        for p in TESTS.iterdir()
        if p.is_dir() and p.name not in NOT_MIRRORED and not p.name.startswith(".")
    )
    assert folders, "no test folders found under tests/"
    orphans = [
        f"tests/{name}/" for name in folders if not (PACKAGE / name / "__init__.py").is_file()
    ]
    assert not orphans, "test folders with no flightdeck/<name>/ subpackage: " + ", ".join(orphans)


def test_top_level_test_files_mirror_modules() -> None:
    files = sorted(p.name for p in TESTS.glob("test_*.py"))
    orphans = [
        f"tests/{name}"
        for name in files
        if name not in WHOLE_PRODUCT_TESTS and not (PACKAGE / re.sub(r"^test_", "", name)).is_file()
    ]
    assert not orphans, (
        "top-level test files with no flightdeck/<name>.py (move them into the folder of their "
        "subpackage, or add a whole-product check to WHOLE_PRODUCT_TESTS): " + ", ".join(orphans)
    )


def test_allow_list_is_minimal() -> None:
    """An allow-listed whole-product test must not be one that mirrors a module anyway."""
    redundant = sorted(
        name for name in WHOLE_PRODUCT_TESTS if (PACKAGE / re.sub(r"^test_", "", name)).is_file()
    )
    assert not redundant, f"allow-listed, yet they mirror a flightdeck module: {redundant}"


# --- 5. tests import helpers, never conftest or another test module --------------------------


def _forbidden(name: str) -> bool:
    return any(part == "conftest" or part.startswith("test_") for part in name.split("."))


def _test_imports(tree: ast.AST) -> list[tuple[int, str]]:
    """Imports of conftest or of a test module (by any part of the dotted name)."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names if _forbidden(a.name)]
        elif isinstance(node, ast.ImportFrom):
            module = "." * node.level + (node.module or "")
            if _forbidden(node.module or ""):
                found.append((node.lineno, module))
            found += [(node.lineno, f"{module}:{a.name}") for a in node.names if _forbidden(a.name)]
    return found


def test_test_import_checker_catches_test_modules() -> None:
    source = (
        "import test_kpis_independent\n"
        "from conftest import store\n"
        "from engine.test_kpis import cases\n"
        "from . import conftest\n"
        "from helpers.kpis import results\n"
        "import helpers.store\n"
    )
    assert [line for line, _ in _test_imports(ast.parse(source))] == [1, 2, 3, 4]


def test_tests_import_helpers_never_conftest_or_test_modules() -> None:
    files = _test_files()
    assert files, "no test files found under tests/"
    offenders = [
        f"  {_rel(path)}:{line}: imports {name}"
        for path in files
        for line, name in _test_imports(_parse(path))
    ]
    assert not offenders, "tests import conftest or another test module:\n" + "\n".join(offenders)


# --- 6. subpackages by concern ---------------------------------------------------------------


def _subpackages(folder: Path) -> set[str]:
    """Folders holding Python source (a package, or a namespace package without __init__)."""
    return {
        p.name
        for p in folder.iterdir()
        if p.is_dir()
        and p.name != "__pycache__"
        and not p.name.startswith(".")
        and any("__pycache__" not in f.parts for f in p.rglob("*.py"))
    }


def test_subpackages_by_concern() -> None:
    assert _subpackages(PACKAGE) == SUBPACKAGES
    assert _subpackages(PACKAGE / "app") == APP_SUBPACKAGES


def test_subpackages_have_a_docstring() -> None:
    inits = [PACKAGE / name / "__init__.py" for name in sorted(SUBPACKAGES)]
    inits += [PACKAGE / "app" / name / "__init__.py" for name in sorted(APP_SUBPACKAGES)]
    missing = [_rel(p) for p in inits if not p.is_file()]
    assert not missing, f"subpackages without __init__.py: {missing}"
    undocumented = [_rel(p) for p in inits if not ast.get_docstring(_parse(p))]
    assert not undocumented, f"subpackage __init__.py without a docstring: {undocumented}"
