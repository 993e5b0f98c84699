"""The processes of the production layout (deploy/systemd), started on this machine from the
units' own commands, for tests/test_deploy_layout.py: gunicorn, RQ workers, and the commands
an administrator runs by hand. Each process logs to files of its own."""

from __future__ import annotations

import os
import shlex
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
UNITS = ROOT / "deploy" / "systemd"
INSTALLED_PYTHON = "/srv/workplan/.venv/bin/python"  # the units' interpreter


def unit_commands(unit: str) -> dict[str, object]:
    """A unit's commands (ExecStartPre, ExecStart: argument lists run with this Python) and
    its Environment= settings, as systemd would read them."""
    found: dict[str, object] = {"ExecStartPre": [], "Environment": {}}
    for line in (UNITS / unit).read_text().splitlines():
        key, _sep, value = line.partition("=")
        if key in ("ExecStartPre", "ExecStart"):
            args = shlex.split(value)
            assert args[0] == INSTALLED_PYTHON, f"{unit}: {line}"
            command = [sys.executable, *args[1:]]
            if key == "ExecStart":
                found[key] = command
            else:
                found[key].append(command)  # type: ignore[union-attr]
        elif key == "Environment":
            name, _eq, setting = value.partition("=")
            found["Environment"][name] = setting  # type: ignore[index]
    return found


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(what: str, check: Callable[[], object], timeout: float, logs: Callable[[], str]):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(0.5)
    raise AssertionError(f"timed out waiting for {what}\n{logs()}")


@dataclass
class Layout:
    """The processes of the layout, started from the units' commands, logging to files."""

    env: dict[str, str]
    folder: Path
    base: str
    web: subprocess.Popen[bytes] | None = None
    workers: list[subprocess.Popen[bytes]] = field(default_factory=list)
    started: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def _start(self, name: str, command: list[str]) -> subprocess.Popen[bytes]:
        out_path, err_path = self.folder / f"{name}.out", self.folder / f"{name}.err"
        with open(out_path, "ab") as out, open(err_path, "ab") as err:
            process = subprocess.Popen(
                command, cwd=ROOT, env=self.env, stdout=out, stderr=err, start_new_session=True
            )
        self.started.append(process)
        return process

    def flask(self, *commands: list[str], stdin: str | None = None) -> None:
        """Commands an administrator runs by hand, with the same environment (at the same
        time, from several terminals: each starting the app costs seconds)."""
        running = [
            subprocess.Popen(
                [sys.executable, "-m", "flask", *args],
                cwd=ROOT,
                env=self.env,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
            )
            for args in commands
        ]
        for args, process in zip(commands, running, strict=True):
            output, _err = process.communicate(stdin, timeout=120)
            assert process.returncode == 0, (args, output)

    def start_web(self) -> None:
        unit = unit_commands("workplan-web.service")
        for command in unit["ExecStartPre"]:  # type: ignore[attr-defined]
            result = subprocess.run(command, cwd=ROOT, env=self.env, capture_output=True)
            assert result.returncode == 0, result.stderr.decode()[-2000:]
        self.web = self._start("web", unit["ExecStart"])  # type: ignore[arg-type]

        def ready() -> bool:
            assert self.web is not None and self.web.poll() is None, self.logs()
            try:
                return requests.get(self.base + "/readyz", timeout=10).status_code == 200
            except requests.RequestException:  # refused, or accepted while workers boot
                return False

        wait_for("the web processes", ready, 60, self.logs)

    def stop_web(self) -> None:
        """As systemd stops the unit: SIGTERM to gunicorn, which ends its workers."""
        assert self.web is not None
        self.web.send_signal(signal.SIGTERM)
        assert self.web.wait(40) == 0, self.logs()

    def start_worker(self) -> subprocess.Popen[bytes]:
        command = unit_commands("workplan-worker@.service")["ExecStart"]
        worker = self._start(f"worker-{len(self.workers)}", command)  # type: ignore[arg-type]
        self.workers.append(worker)
        return worker

    def kill_worker(self, worker: subprocess.Popen[bytes]) -> None:
        """The machine goes away: the worker and its work horse (which RQ puts in a session
        of its own) are killed without warning."""
        horses = children(worker.pid)
        assert horses, self.logs()
        os.killpg(worker.pid, signal.SIGKILL)
        for pid in horses:
            os.kill(pid, signal.SIGKILL)
        worker.wait(10)

    def stdout_lines(self, name: str) -> list[str]:
        path = self.folder / f"{name}.out"
        return [line for line in path.read_text().splitlines() if line] if path.exists() else []

    def logs(self) -> str:
        return "\n".join(
            f"--- {p.name}\n{p.read_text(errors='replace')[-2500:]}"
            for p in sorted(self.folder.glob("*.*"))
        )

    def stop_all(self) -> None:
        for process in self.started:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(10)


def children(pid: int) -> list[int]:
    """Ids of the processes whose parent is ``pid`` (read from /proc)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found
