"""deploy/ cannot drift from the code: the example environment file lists every setting the
code reads, with the code's default; the systemd units are valid; the gunicorn settings
follow the environment. (tests/test_deploy_layout.py runs the units' commands.)"""

from __future__ import annotations

import ast
import re
import runpy
import shutil
import subprocess
from pathlib import Path

from tests.services import unavailable

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
ENV_EXAMPLE = DEPLOY / "workplan.env.example"
# Where settings are read: the application package and the web processes' settings.
READERS = [*sorted((ROOT / "workplan").rglob("*.py")), DEPLOY / "gunicorn.conf.py"]
COMPUTED = object()  # a default the code computes (a path, the number of CPUs)


def _default(node: ast.expr | None) -> object:
    """The default a read gives, when it is a constant the code spells out: "90",
    str(24 * 3600); COMPUTED otherwise; None when there is no default."""
    if node is None:
        return None

    def value(n: ast.expr) -> object:
        if isinstance(n, ast.Constant) and isinstance(n.value, str | int):
            return n.value
        if isinstance(n, ast.BinOp) and isinstance(n.op, ast.Mult | ast.Add):
            left, right = value(n.left), value(n.right)
            if isinstance(left, int) and isinstance(right, int):
                return left * right if isinstance(n.op, ast.Mult) else left + right
        if (
            isinstance(n, ast.Call)
            and isinstance(n.func, ast.Name)
            and n.func.id == "str"
            and len(n.args) == 1
        ):
            inner = value(n.args[0])
            return str(inner) if inner is not COMPUTED else COMPUTED
        return COMPUTED

    result = value(node)
    return str(result) if isinstance(result, int) else result


def _is_environment(node: ast.expr) -> bool:
    """``os.environ`` or the ``env`` alias config.py gives it."""
    if isinstance(node, ast.Name):
        return node.id == "env"
    return isinstance(node, ast.Attribute) and node.attr == "environ"


def settings_read_by_the_code() -> dict[str, object]:
    """Every environment variable the code reads, with its default."""
    found: dict[str, object] = {}
    for path in READERS:
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            key, default = None, None
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and (
                    (node.func.attr == "get" and _is_environment(node.func.value))
                    or node.func.attr == "getenv"
                )
            ):
                key = node.args[0].value
                default = _default(node.args[1] if len(node.args) > 1 else None)
            elif (
                isinstance(node, ast.Subscript)
                and isinstance(node.ctx, ast.Load)  # a read, not a variable being set
                and _is_environment(node.value)
                and isinstance(node.slice, ast.Constant)
            ):
                key = node.slice.value
            if isinstance(key, str) and key.isupper():
                found.setdefault(key, default)
    return found


def documented_settings() -> dict[str, tuple[str | None, str, bool]]:
    """The example file's settings: name -> (documented default, value, active?)."""
    settings: dict[str, tuple[str | None, str, bool]] = {}
    default: str | None = None
    for line in ENV_EXAMPLE.read_text().splitlines():
        if line.startswith("# default:"):
            default = line.removeprefix("# default:").strip()
            continue
        match = re.fullmatch(r"(#?)([A-Z][A-Z0-9_]*)=(.*)", line)
        if match:
            commented, name, value = match.groups()
            assert name not in settings, f"{name} is listed twice"
            settings[name] = (default, value.strip().strip('"'), not commented)
            default = None  # each setting has its own default line
    return settings


def test_the_example_environment_lists_every_setting_the_code_reads():
    read = settings_read_by_the_code()
    documented = documented_settings()
    # The scan finds what it should (so an empty scan cannot pass).
    assert {"DATABASE_URL", "SECRET_KEY", "REDIS_URL", "PROXY_COUNT", "LOG_FORMAT"} <= set(read)
    assert {"WORKPLAN_COORDINATOR_EMAIL", "WEB_CONCURRENCY"} <= set(read)
    assert sorted(set(read) - set(documented)) == [], "settings missing from the example"
    assert sorted(set(documented) - set(read)) == [], "the example lists settings nobody reads"


def test_each_documented_default_is_the_code_s():
    read = settings_read_by_the_code()
    for name, (documented, value, active) in documented_settings().items():
        assert documented, f"{name} has no '# default:' line above it"
        default = read[name]
        if not isinstance(default, str):
            continue  # computed, or no default: the text says what happens
        shown = '""' if default == "" else default
        assert documented == shown or documented.startswith(shown + " ("), (
            f"{name}: the code's default is {default!r}, the example says {documented!r}"
        )
        if not active:  # a commented-out line shows the default it keeps
            assert value == default, f"#{name}={value} is not its default {default!r}"


def test_production_values_in_the_example():
    documented = documented_settings()
    active = {name: value for name, (_d, value, on) in documented.items() if on}
    assert active["LOG_FORMAT"] == "json"
    assert active["PROXY_COUNT"] == "1" and active["COOKIE_SECURE"] == "1"
    assert active["DATABASE_URL"].startswith("postgresql://")
    assert active["REDIS_URL"].startswith("redis://")
    assert "REPORT_TEST_HOOKS" not in active


def _load_gunicorn_settings(monkeypatch, **env: str) -> dict[str, object]:
    for name in ("LOG_FORMAT", "WEB_CONCURRENCY", "GUNICORN_BIND"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(DEPLOY / "gunicorn.conf.py"))


def test_gunicorn_settings_follow_the_environment(monkeypatch):
    text = _load_gunicorn_settings(monkeypatch)
    assert text["accesslog"] is None and "logconfig_dict" not in text
    assert text["bind"] == "127.0.0.1:8000" and text["workers"] >= 3
    json_logs = _load_gunicorn_settings(
        monkeypatch, LOG_FORMAT="json", WEB_CONCURRENCY="2", GUNICORN_BIND="10.0.0.5:8001"
    )
    assert (json_logs["workers"], json_logs["bind"]) == (2, "10.0.0.5:8001")
    formatter = json_logs["logconfig_dict"]["formatters"]["json"]["()"]  # type: ignore[index]
    assert formatter == "workplan.logs.JsonLineFormatter"
    assert json_logs["accesslog"] is None


def test_systemd_units_are_valid(tmp_path: Path):
    """``systemd-analyze verify`` finds nothing to say about the units (with this machine's
    Python for the virtualenv's, and root for the workplan user, which do not exist here)."""
    verify = shutil.which("systemd-analyze")
    if verify is None:
        unavailable("systemd-analyze is not installed")
    units = sorted((DEPLOY / "systemd").iterdir())
    assert {u.name for u in units} >= {"workplan-web.service", "workplan-worker@.service"}
    names = []
    for unit in units:
        text = unit.read_text()
        text = text.replace("/srv/workplan/.venv/bin/python", shutil.which("python3") or "")
        text = re.sub(r"(?m)^(User|Group)=workplan$", r"\1=root", text)
        name = unit.name.replace("@.", "@1.")
        (tmp_path / name).write_text(text)
        names.append(str(tmp_path / name))
    result = subprocess.run(
        [verify, "verify", "--man=no", *names], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0 and result.stderr.strip() == "", result.stderr
