"""The Windows recipe, checked on Linux as far as it can be without Windows (packaging/README.md).

The build itself runs on a Windows runner (.github/workflows/windows-build.yml); here: the shared
PyInstaller spec reads only files that exist, with platform-neutral paths; the installer script
installs the program the spec builds; the workflow builds, tests and packs that program.
"""

from __future__ import annotations

import ast
import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "packaging" / "request-desk.spec"
ISS = ROOT / "packaging" / "windows" / "request-desk.iss"
WORKFLOW = ROOT / ".github" / "workflows" / "windows-build.yml"


def spec() -> ast.Module:
    return ast.parse(SPEC.read_text(encoding="utf-8"), filename=str(SPEC))


def constant_path(node: ast.expr, names: dict[str, Path]) -> Path | None:
    """``Path("a", "b")`` or a name bound to one at the top of the spec."""
    if isinstance(node, ast.Name):
        return names.get(node.id)
    if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "Path"
            and node.args and all(isinstance(a, ast.Constant) and isinstance(a.value, str) for a in node.args)):
        return Path(*(a.value for a in node.args if isinstance(a, ast.Constant)))
    return None


def read_by_spec() -> list[Path]:
    """Every file or folder of the checkout the spec reads: ``ROOT / "…"`` and ``files_under(folder, …)``."""
    tree = spec()
    names = {t.id: p for node in tree.body if isinstance(node, ast.Assign)
             for t in node.targets if isinstance(t, ast.Name) and (p := constant_path(node.value, {})) is not None}
    read: list[Path] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
            parts: list[str] = []
            left: ast.expr = node
            while isinstance(left, ast.BinOp) and isinstance(left.op, ast.Div) and isinstance(left.right, ast.Constant):
                parts.insert(0, str(left.right.value))
                left = left.left
            if isinstance(left, ast.Name) and left.id == "ROOT":
                read.append(ROOT.joinpath(*parts))
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "files_under":
            folder = constant_path(node.args[0], names)
            assert folder is not None, ast.unparse(node)
            read.append(ROOT / folder)
    return read


def iss_defines() -> dict[str, str]:
    text = ISS.read_text(encoding="utf-8-sig")
    return dict(re.findall(r'^#define (\w+) "([^"]*)"$', text, flags=re.MULTILINE))


def spec_name() -> str:
    [name] = [node.value.value for node in spec().body if isinstance(node, ast.Assign)
              and any(isinstance(t, ast.Name) and t.id == "NAME" for t in node.targets)
              and isinstance(node.value, ast.Constant)]
    return str(name)


def test_the_spec_reads_only_files_that_exist() -> None:
    read = read_by_spec()
    assert ROOT / "request_desk" / "__main__.py" in read  # the program's entry
    assert ROOT / "resources" in read and ROOT / "request_desk" / "core" / "storage" / "migrations" in read
    assert [p for p in read if not p.exists()] == []
    assert list((ROOT / "resources" / "fonts").glob("*.ttf")) and list((ROOT / "resources" / "letters").glob("*.txt"))
    assert len(list((ROOT / "request_desk" / "core" / "storage" / "migrations" / "versions").glob("0*.py"))) > 1


def test_the_spec_writes_no_separator_of_one_system() -> None:
    """Paths are built with pathlib; a "/" only in glob patterns (pathlib's on both systems)."""
    strings = [node.value for node in ast.walk(spec())
               if isinstance(node, ast.Constant) and isinstance(node.value, str)]
    assert [s for s in strings if "\\" in s] == []
    assert [s for s in strings if "/" in s and "*" not in s] == []


def test_the_installer_installs_the_program_the_spec_builds() -> None:
    name = spec_name()
    defines = iss_defines()
    assert defines["AppExe"] == f"{name}.exe"  # the spec's windowed program, in every shortcut
    assert defines["CliExe"] == f"{name}-cli.exe"
    assert 'name=f"{NAME}-cli"' in SPEC.read_text(encoding="utf-8").replace(" ", "")
    built = (ISS.parent / defines["Built"].replace("\\", "/")).resolve()
    assert built == ROOT / "dist" / name  # packaging/build.py's folder
    text = ISS.read_text(encoding="utf-8-sig")
    assert ISS.read_bytes().startswith(b"\xef\xbb\xbf")  # Inno Setup reads the Chinese names only with the BOM
    for line in ("PrivilegesRequired=admin", r"DefaultDirName={autopf}\RequestDesk",
                 'Source: "{#Built}\\*"; DestDir: "{app}"'):
        assert line in text
    icons = [line for line in text.splitlines() if line.startswith("Name: \"{auto")]
    assert any("{autoprograms}" in i and "{#AppExe}" in i for i in icons)
    assert any("{autodesktop}" in i and "{#AppExe}" in i for i in icons)
    assert 'MessagesFile: "compiler:Default.isl,ChineseSimplified.isl"' in text
    # Started after the setup as the clerk, not the approving administrator (whose profile would get the data).
    [start] = [line for line in text.splitlines() if line.startswith('Filename: "{app}\\{#AppExe}"')]
    assert "postinstall" in start and "runasoriginaluser" in start
    # An upgrade or uninstall deletes nothing but the program's own folder.
    deleted = re.findall(r'^Type: \w+; Name: "([^"]*)"', text, flags=re.MULTILINE)
    assert deleted and all(d.startswith("{app}\\") for d in deleted)


def test_the_records_are_kept_outside_the_program_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    from platformdirs import user_data_path

    from request_desk import paths

    monkeypatch.delenv(paths.DATA_ENV)
    monkeypatch.delenv(paths.DB_ENV)
    assert paths.data_dir() == user_data_path("RequestDesk", appauthor=False)  # %LOCALAPPDATA%\RequestDesk
    assert paths.default_db_path().parent == paths.data_dir()


def test_the_workflow_builds_tests_and_packs_on_windows() -> None:
    yaml = pytest.importorskip("yaml", reason="pyyaml is not installed: the workflow file is not checked")
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    [job] = workflow["jobs"].values()
    assert job["runs-on"] == "windows-latest"
    runs = [step.get("run", "") for step in job["steps"]]
    assert any('pip install -e ".[test,build]"' in r for r in runs)
    assert any(r.strip() == "python packaging/build.py" for r in runs)
    assert any(r.strip() == "python packaging/smoke_test.py dist/request-desk" for r in runs)
    [fetch] = [r for r in runs if "ChineseSimplified.isl" in r]
    assert "-OutFile packaging/windows/ChineseSimplified.isl" in fetch  # beside the script, as it expects
    [compile_step] = [r for r in runs if "iscc" in r]
    assert r"packaging\windows\request-desk.iss" in compile_step and "/DAppVersion=$version" in compile_step
    assert (ROOT / "packaging" / "windows" / "request-desk.iss").is_file()
    version = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    assert re.fullmatch(r"\d+\.\d+\.\d+", version)  # what Inno Setup's AppVersion takes
