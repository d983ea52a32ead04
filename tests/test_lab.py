"""`make lab`: JupyterLab from the pinned environment, on loopback, lists the chapters; a chapter saved there
is stale to `make book`. Run in a temporary copy of the project; the server is stopped afterwards.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import subprocess
import time
import urllib.request

import pytest
from project_copies import CHAPTER, VENV_BIN, copy_project, stale

from twotracks.paths import ROOT

LAB_VENV = ROOT / ".venv-lab"  # made by `make lab` (and by `make test`) from requirements-lab.lock

START_TIMEOUT = 90  # seconds for the server to answer


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _api(url: str, method: str = "GET", body: dict | None = None) -> dict | list:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


def test_make_lab_serves_the_notebooks_on_loopback_and_a_saved_chapter_is_stale(tmp_path):
    if not (LAB_VENV / ".installed").is_file():
        pytest.skip("no JupyterLab environment: `make test` (or `make lab`) makes .venv-lab first")
    project = copy_project(tmp_path / "project")
    port, token, venv = _free_port(), secrets.token_hex(16), VENV_BIN.parent
    env = {
        **os.environ,
        "PYTHONPATH": str(project / "src"),
        "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime"),
        "JUPYTERLAB_WORKSPACES_DIR": str(tmp_path / "workspaces"),
        "JUPYTER_CONFIG_DIR": str(tmp_path / "config"),
    }
    args = f"--no-browser --ServerApp.port={port} --ServerApp.port_retries=0 --IdentityProvider.token={token}"
    log = (tmp_path / "lab.log").open("w")
    server = subprocess.Popen(
        [
            "make",
            "lab",
            f"VENV={venv}",
            "-o",
            f"{venv}/.installed",
            "-o",
            "node_modules/.package-lock.json",
            f"LAB_VENV={LAB_VENV}",
            "-o",
            f"{LAB_VENV}/.installed",
            f"LAB_ARGS={args}",
        ],
        cwd=project,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}/api"
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            try:
                listing = _api(f"{base}/contents/notebooks?token={token}")
                break
            except OSError:
                assert server.poll() is None, (tmp_path / "lab.log").read_text()
                assert time.monotonic() < deadline, (
                    "JupyterLab did not answer in time:\n" + (tmp_path / "lab.log").read_text()
                )
                time.sleep(1)
        names = {item["name"] for item in listing["content"]}
        expected = {p.name for p in (project / "notebooks").glob("*.ipynb")}
        assert expected and expected <= names
        specs = _api(f"{base}/kernelspecs?token={token}")
        assert specs["default"] == "python3"
        # the project's kernel: the main environment's Python (where twotracks is installed), not the lab's own
        assert specs["kernelspecs"]["python3"]["spec"]["argv"][0] == str(venv / "bin" / "python")
        # only on loopback: the address the server listens on is 127.0.0.1
        with socket.socket() as probe:
            outside = [a for a in socket.gethostbyname_ex(socket.gethostname())[2] if not a.startswith("127.")]
            if outside:
                assert probe.connect_ex((outside[0], port)) != 0, "the lab server answers on a non-loopback address"
        # a chapter edited and saved in the lab is stale to `make book`
        before = stale(project).stdout
        model = _api(f"{base}/contents/{CHAPTER}?token={token}&content=1")
        notebook = model["content"]
        code = next(cell for cell in notebook["cells"] if cell["cell_type"] == "code")
        code["source"] = code["source"] + "\nassumption = 2  # a reader's change"
        _api(
            f"{base}/contents/{CHAPTER}?token={token}",
            "PUT",
            {"type": "notebook", "format": "json", "content": notebook},
        )
        after = stale(project)
        assert after.returncode == 1
        flagged = [line for line in after.stdout.splitlines() if line.startswith(f"{CHAPTER}: stale:")]
        assert flagged and "code" in flagged[0] and flagged[0] not in before, after.stdout
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
        log.close()
