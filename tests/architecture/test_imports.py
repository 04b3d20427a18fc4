"""The import contracts (issue 21): modules talk through public names, and the layers
import downwards only. Read from the source with ast, so an import inside a function
counts as much as one at the top."""

import ast
from pathlib import Path

SHENPI = Path(__file__).resolve().parents[2] / "shenpi"

# Who may not import whom: the pure core imports no Django and no app; the base apps
# import no domain app; cases imports none of the apps built on it (DESIGN.md: the new apps
# depend downward on cases, never the other way).
DOMAIN = ("catalog", "publishing", "cases", "supervision", "consult", "agency", "api", "portal")
FORBIDDEN = {
    "core": ("django", *(f"shenpi.{app}" for app in (*DOMAIN, "accounts", "audit", "workdays",
                                                      "common", "notify", "exchange"))),
    "accounts": tuple(f"shenpi.{app}" for app in DOMAIN),
    "audit": tuple(f"shenpi.{app}" for app in DOMAIN),
    "workdays": tuple(f"shenpi.{app}" for app in DOMAIN),
    "common": tuple(f"shenpi.{app}" for app in DOMAIN),
    "notify": tuple(f"shenpi.{app}" for app in DOMAIN),
    "exchange": tuple(f"shenpi.{app}" for app in DOMAIN),
    "search": tuple(f"shenpi.{app}" for app in DOMAIN),
    "cases": ("shenpi.supervision", "shenpi.consult", "shenpi.agency", "shenpi.api",
              "shenpi.portal", "shenpi.hall"),
}  # fmt: skip


def _modules():
    for path in sorted(SHENPI.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        parts = path.relative_to(SHENPI.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        yield name, path, path.name == "__init__.py"


def _imports(name, path, is_package):
    """(imported module, imported names, line) for every import in the file, with
    relative imports resolved."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if is_package else name.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, [], node.lineno
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            yield module, [alias.name for alias in node.names], node.lineno


def _is_module(dotted: str) -> bool:
    relative = Path(*dotted.split(".")[1:])
    return (SHENPI / relative).with_suffix(".py").exists() or (SHENPI / relative).is_dir()


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def test_no_module_uses_another_modules_private_names():
    """Neither `from x import _name` nor `x._name` on an imported module of ours."""
    found = []
    for name, path, is_package in _modules():
        where = path.relative_to(SHENPI.parent)
        modules = {}  # local name -> one of our modules
        for module, names, line in _imports(name, path, is_package):
            if not module.startswith("shenpi") or module == name:
                continue
            if [n for n in names if _private(n)]:
                found.append(f"{where}:{line} {module}: {[n for n in names if _private(n)]}")
            for imported in names:
                if _is_module(f"{module}.{imported}"):
                    modules[imported] = f"{module}.{imported}"
        tree = ast.parse(path.read_text(encoding="utf-8"))
        found.extend(
            f"{where}:{node.lineno} {modules[node.value.id]}.{node.attr}"
            for node in ast.walk(tree)
            if isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in modules
            and modules[node.value.id] != name
            and _private(node.attr)
        )
    assert found == [], "\n".join(found)


def test_the_layers_import_downwards_only():
    found = []
    for name, path, is_package in _modules():
        app = name.split(".")[1] if name.count(".") else ""
        banned = FORBIDDEN.get(app, ())
        for module, _names, line in _imports(name, path, is_package):
            if any(module == b or module.startswith(b + ".") for b in banned):
                found.append(f"{path.relative_to(SHENPI.parent)}:{line} imports {module}")
    assert found == [], "\n".join(found)
