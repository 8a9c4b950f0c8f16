"""Helpers for the browser test: a throwaway Dagster webserver and headless Debian Chromium.

The webserver runs in its own process group (setsid) so that it and the code-server child it
spawns are stopped together; every path it could write lives under the test's tmp_path.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import yaml

from pipeline.settings import PROJECT_DIR

CHROMIUM = Path("/usr/bin/chromium")
VENV_BIN = Path(sys.executable).parent

# Flags that work as root in a container; the resolver rule keeps the browser on loopback
# (any other host name fails to resolve instead of reaching the network).
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-default-apps", "--disable-extensions", "--hide-scrollbars",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]

_WORKSPACE_QUERY = """
{ workspaceOrError { __typename
    ... on Workspace { locationEntries { name loadStatus
        locationOrLoadError { __typename ... on PythonError { message } } } } } }
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def write_instance_yaml(home: Path, root: Path) -> Path:
    """Copy the repository's dagster.yaml into home, with every base_dir moved under root.

    The onboarding dialog ("Join the Dagster community") is switched off: it covers the page.
    """
    config = yaml.safe_load((PROJECT_DIR / "dagster.yaml").read_text(encoding="utf-8")) or {}

    def relocate(node, where: tuple[str, ...] = ()):
        if isinstance(node, dict):
            return {k: (str(root.joinpath("instance", *where)) if k == "base_dir"
                        else relocate(v, (*where, k))) for k, v in node.items()}
        return node

    config = relocate(config)
    config["telemetry"] = {"enabled": False}
    config["nux"] = {"enabled": False}
    home.mkdir(parents=True, exist_ok=True)
    path = home / "dagster.yaml"
    path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return path


@dataclass
class Webserver:
    process: subprocess.Popen
    port: int
    log: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def log_tail(self, chars: int = 3000) -> str:
        try:
            return self.log.read_text(encoding="utf-8", errors="replace")[-chars:]
        except OSError:
            return "(no log)"

    def graphql(self, query: str, timeout: float = 10) -> dict:
        request = urllib.request.Request(
            f"{self.url}/graphql", data=json.dumps({"query": query}).encode(),
            headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return json.load(response)

    def wait_ready(self, timeout: float = 60) -> None:
        """Wait for /server_info, then for the code location to finish loading."""
        deadline = time.monotonic() + timeout
        served = False
        last = ""
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"dagster-webserver exited with {self.process.returncode}:\n"
                                   f"{self.log_tail()}")
            try:
                if not served:
                    with urllib.request.urlopen(f"{self.url}/server_info", timeout=5) as resp:
                        served = resp.status == 200
                if served:
                    data = self.graphql(_WORKSPACE_QUERY)["data"]["workspaceOrError"]
                    entries = data.get("locationEntries") or []
                    last = json.dumps(entries)
                    if entries and all(e["loadStatus"] == "LOADED" for e in entries):
                        errors = [e for e in entries
                                  if e["locationOrLoadError"]["__typename"] == "PythonError"]
                        if errors:
                            raise RuntimeError(f"code location failed to load: {errors}")
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError, KeyError):
                pass
            time.sleep(0.5)
        raise TimeoutError(f"webserver not ready after {timeout:.0f} s (last workspace: {last})\n"
                           f"{self.log_tail()}")

    def stop(self, grace: float = 10) -> None:
        """Stop the whole process group: SIGTERM, then SIGKILL for whatever is left."""
        pgid = self.process.pid  # start_new_session: the leader's pid is the group id
        for sig, wait in ((signal.SIGTERM, grace), (signal.SIGKILL, 5)):
            try:
                os.killpg(pgid, sig)
            except ProcessLookupError:
                break
            deadline = time.monotonic() + wait
            while live_group_members(pgid) and time.monotonic() < deadline:
                self.process.poll()  # reap the leader
                time.sleep(0.2)
            if not live_group_members(pgid):
                break
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            pass


def live_group_members(pgid: int) -> list[int]:
    """Pids in process group pgid that are still running (zombies left out)."""
    members = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        # pid (comm) state ppid pgrp ...: comm may hold spaces, so split after the last ')'
        fields = text[text.rindex(")") + 2:].split()
        if fields[0] != "Z" and int(fields[2]) == pgid:
            members.append(int(stat.parent.name))
    return members


def start_webserver(root: Path, module: str = "pipeline.definitions") -> Webserver:
    """Start dagster-webserver on a free loopback port; DAGSTER_HOME and AXNEWS_* under root."""
    home = root / "dagster_home"
    write_instance_yaml(home, root)
    env = {
        **os.environ,
        "DAGSTER_HOME": str(home),
        "AXNEWS_WAREHOUSE": str(root / "warehouse.duckdb"),
        "AXNEWS_RAW_DIR": str(root / "raw"),
        "AXNEWS_REPORTS_DIR": str(root / "reports"),
        "AXNEWS_INBOX_DIR": str(root / "inbox"),
        "DAGSTER_DISABLE_TELEMETRY": "1",
    }
    port = free_port()
    log = root / "webserver.log"
    with open(log, "wb") as out:
        # `env --default-signal` undoes an inherited SIG_IGN (background shells), so SIGTERM works.
        process = subprocess.Popen(
            ["env", "--default-signal=INT,TERM", str(VENV_BIN / "dagster-webserver"),
             "-m", module, "-h", "127.0.0.1", "-p", str(port)],
            cwd=root, env=env, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    return Webserver(process=process, port=port, log=log)


def chromium(url: str, profile: Path, *, budget_ms: int = 20000, screenshot: Path | None = None,
             window: str = "1600,1400", timeout: float = 90) -> str:
    """Load url in headless Chromium; return the rendered DOM, or write a screenshot."""
    profile.mkdir(parents=True, exist_ok=True)
    args = [str(CHROMIUM), *CHROMIUM_FLAGS, f"--user-data-dir={profile}",
            f"--virtual-time-budget={budget_ms}"]
    args.append(f"--window-size={window}")  # the DOM holds only the graph nodes in view
    args += [f"--screenshot={screenshot}"] if screenshot is not None else ["--dump-dom"]
    done = subprocess.run(args + [url], check=False, capture_output=True, timeout=timeout,
                          start_new_session=True)
    if done.returncode != 0:
        raise RuntimeError(f"chromium failed ({done.returncode}) on {url}:\n"
                           f"{done.stderr.decode(errors='replace')[-2000:]}")
    return done.stdout.decode("utf-8", errors="replace")


class _VisibleText(HTMLParser):
    _HIDDEN = frozenset({"script", "style", "noscript", "template", "head"})

    def __init__(self):
        super().__init__()
        self.depth = 0
        self.texts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in self._HIDDEN:
            self.depth += 1

    def handle_endtag(self, tag):
        if tag in self._HIDDEN and self.depth:
            self.depth -= 1

    def handle_data(self, data):
        if not self.depth and data.strip():
            self.texts.append(data.strip())


def visible_texts(dom: str) -> list[str]:
    """The text nodes a user would see (scripts, styles and the head left out)."""
    parser = _VisibleText()
    parser.feed(dom)
    return parser.texts


def png_size(path: Path) -> tuple[int, int]:
    """Width and height from a PNG header (raises if the file is not a PNG)."""
    head = path.read_bytes()[:24]
    if head[:8] != b"\x89PNG\r\n\x1a\n" or head[12:16] != b"IHDR":
        raise ValueError(f"{path} is not a PNG")
    return int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")
