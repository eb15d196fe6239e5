"""The rooms keep their shape: dependencies run one way, from the pages down
to the domain, and no module grows past what a reader can hold.

Read from the source with ast, so an import hidden anywhere counts."""

import ast
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)

# Which rooms each room may import. The domain (councils, casestudies) and the
# shared core import no room above them; nothing may import the project package.
ALLOWED = {
    "core": set(),
    "councils": {"core"},
    "casestudies": {"councils", "core"},
    "search": {"casestudies", "councils", "core"},
    "browse": {"search", "casestudies", "councils", "core"},
    "moderation": {"casestudies", "councils", "core"},
    "opendata": {"curated", "browse", "search", "casestudies", "councils", "core"},
    "peers": {"browse", "casestudies", "councils", "core"},
    "accounts": {"peers", "moderation", "casestudies", "councils", "core"},
    "compare": {"browse", "search", "casestudies", "councils", "core"},
    "figures": {"browse", "search", "casestudies", "councils", "core"},
    "maps": {"browse", "search", "casestudies", "councils", "core"},
    "curated": {"peers", "browse", "search", "casestudies", "councils", "core"},
    "pages": {"accounts", "peers", "curated", "browse", "casestudies", "councils", "core"},
    "demo": {"curated", "opendata", "search", "casestudies", "councils", "core"},
}
PROJECT = "showcase"
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 50


def app_modules() -> list[Path]:
    return sorted(
        path
        for room in [*ALLOWED, PROJECT]
        for path in (ROOT / room).rglob("*.py")
        if "migrations" not in path.parts
    )


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(tree: ast.AST) -> list[tuple[ast.AST, str]]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node, node.module))
            found += [(node, f"{node.module}.{alias.name}") for alias in node.names]
    return found


def room_of(name: str) -> str:
    return name.split(".")[0]


def is_view_or_url_module(name: str) -> bool:
    return any(
        part in {"views", "urls"} or part.endswith(("_views", "_urls")) for part in name.split(".")[1:]
    )


def problems_in(path: Path) -> list[str]:
    source = path.read_text(encoding="utf-8")
    tree = ast.parse(source)
    here, room, found = module_name(path), room_of(module_name(path)), []
    for node, name in imports(tree):
        target = room_of(name)
        if (target not in ALLOWED and target != PROJECT) or target == room:
            continue
        where = f"{path.relative_to(ROOT)}:{node.lineno} imports {name}"
        if room == PROJECT:
            if here != "showcase.urls" and not (
                here == "showcase.settings" and name.startswith("showcase.env")
            ):
                found.append(f"{where}: the project package imports no room except in urls.py")
        elif target == PROJECT:
            found.append(f"{where}: no room imports the project package")
        elif target not in ALLOWED[room]:
            found.append(f"{where}: {room} may import only {sorted(ALLOWED[room]) or 'no other room'}")
        elif is_view_or_url_module(name):
            found.append(f"{where}: no room imports another room's views or URLs")
    return found


def hidden_imports(path: Path) -> list[str]:
    """Imports inside functions, except AppConfig.ready, which runs once the registry is ready."""
    found = []
    for function in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef) and function.name != "ready":
            for node in ast.walk(function):
                if isinstance(node, ast.Import | ast.ImportFrom):
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno} imports inside {function.name}()")
    return found


def test_every_room_is_listed():
    rooms = {path.parent.name for path in ROOT.glob("*/apps.py")} | {"core"}
    assert rooms == set(ALLOWED), "add the new room to ALLOWED, saying what it may import"


def test_dependencies_run_one_way():
    found = [problem for path in app_modules() for problem in problems_in(path)]
    assert found == []


def test_no_import_hides_in_a_function():
    found = [problem for path in app_modules() for problem in hidden_imports(path)]
    assert found == []


def test_modules_and_functions_stay_small():
    found = []
    for path in app_modules():
        source = path.read_text(encoding="utf-8")
        code = [line for line in source.splitlines() if line.strip() and not line.strip().startswith("#")]
        if len(code) > MAX_MODULE_LINES:
            found.append(f"{path.relative_to(ROOT)}: {len(code)} lines of code")
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = node.end_lineno - node.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name}() is {length} lines")
    assert found == []


def test_every_room_has_its_tests():
    missing = [room for room in ALLOWED if not (ROOT / "tests" / room).is_dir()]
    assert missing == []


@pytest.mark.parametrize(
    ("module", "source", "problem"),
    [
        ("casestudies/example.py", "from browse.views import case_study_list", "casestudies may import only"),
        ("peers/example.py", "from moderation.views.review import queue", "peers may import only"),
        ("opendata/example.py", "from browse.views import case_study_list", "views or URLs"),
        ("councils/example.py", "import showcase.settings", "project package"),
        ("showcase/example.py", "from casestudies.models import CaseStudy", "except in urls.py"),
    ],
)
def test_the_checks_catch_what_they_are_for(tmp_path, monkeypatch, module, source, problem):
    monkeypatch.setattr(f"{__name__}.ROOT", tmp_path)
    path = tmp_path / module
    path.parent.mkdir(parents=True)
    path.write_text(source + "\n")

    assert any(problem in found for found in problems_in(path))


def test_a_hidden_import_is_caught(tmp_path, monkeypatch):
    monkeypatch.setattr(f"{__name__}.ROOT", tmp_path)
    path = tmp_path / "browse" / "example.py"
    path.parent.mkdir()
    path.write_text("def view():\n    from search.engine import search\n")

    assert hidden_imports(path) == ["browse/example.py:2 imports inside view()"]
