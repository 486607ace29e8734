"""The simulator is a package of small modules with no import cycle: each imports only modules below it, so
any one can be read, tested and changed on its own (issue 8: it was one module of 1,400 lines). Python runs
the package's __init__ before any submodule, so importing one "on its own" proves nothing: the check reads
the import graph instead."""

import ast
from pathlib import Path

PACKAGE = "casefile.demo.simulate"
ROOT = Path(__file__).resolve().parents[1] / "simulate"
MODULES = sorted(path.stem for path in ROOT.glob("*.py") if path.stem != "__init__")


def runtime_imports(path: Path) -> set[str]:
    """The package's own modules this file imports when it runs (imports for type checking only are left out)."""
    tree = ast.parse(path.read_text())
    skipped = {id(node) for branch in ast.walk(tree) if isinstance(branch, ast.If)
               and "TYPE_CHECKING" in ast.unparse(branch.test) for node in ast.walk(branch)}
    found = set()
    for node in ast.walk(tree):
        if id(node) in skipped or not isinstance(node, ast.ImportFrom | ast.Import):
            continue
        names = [node.module or ""] if isinstance(node, ast.ImportFrom) else [alias.name for alias in node.names]
        for name in names:
            if name == PACKAGE:
                found.add("__init__")
            elif name.startswith(PACKAGE + "."):
                found.add(name.removeprefix(PACKAGE + ".").split(".")[0])
    return found


def test_the_package_has_the_modules_its_docstring_lists_and_the_old_modules_are_gone():
    assert set(MODULES) == {"authority", "calendar", "config", "drawing", "front_door", "journey", "state",
                            "vocabulary", "writer"}
    assert not (ROOT.parent / "simulate.py").exists() and not (ROOT.parent / "simulate_front_door.py").exists()


def test_no_module_imports_the_package_itself_and_the_imports_form_no_cycle():
    graph = {module: runtime_imports(ROOT / f"{module}.py") for module in MODULES}
    assert not any("__init__" in imports for imports in graph.values()), graph
    # Kahn's algorithm: a module with no unresolved imports can be loaded; a cycle leaves some never loadable.
    remaining = {module: set(imports) for module, imports in graph.items()}
    while ready := [module for module, imports in remaining.items() if not imports]:
        for module in ready:
            del remaining[module]
        for imports in remaining.values():
            imports.difference_update(ready)
    assert not remaining, f"import cycle among {sorted(remaining)}"


def test_the_cycle_check_finds_a_cycle(tmp_path):
    (tmp_path / "a.py").write_text(f"from {PACKAGE}.b import x\n")
    (tmp_path / "b.py").write_text(
        f"from {PACKAGE} import simulate\nif TYPE_CHECKING:\n    from {PACKAGE}.a import y\n")
    assert runtime_imports(tmp_path / "a.py") == {"b"}
    assert runtime_imports(tmp_path / "b.py") == {"__init__"}

