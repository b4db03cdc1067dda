"""The product run as production runs it, for the load run (bench/load.py) and the fault drills
(tests/integration/test_fault_drills.py): gunicorn with several worker processes, a PostgreSQL
cluster of the drill's own, organizations the billing registered, contact persons and the
billing speaking HTTP to it.
"""
from __future__ import annotations

import datetime as dt
import glob
import html
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import requests

from lkk_integration.clock import MOSCOW

from .cabinet import activate
from .parts import ROOT, free_port

# Every process of a rehearsal shares this key: the SOAP client secrets are hashed with it.
SECRET_KEY = "rehearsal-secret-key-not-for-production"
# Moscow 2026-03-20 12:00: inside the default period (15–26); the in-process core's FixedClock
# and the server's LKK_CLOCK_START both start here.
START = dt.datetime(2026, 3, 20, 12, 0, tzinfo=MOSCOW)
LAST_DATE = dt.date(2026, 2, 20)      # the meters' last accounted readings
READING_DATE = dt.date(2026, 3, 18)   # typed into the files: in the period, not after today
PASSWORD = "Repetic1ja2026"
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
_FLASH = re.compile(r'class="flash[^"]*"[^>]*>(.*?)</', re.S)


def _tail(path: Path, lines: int = 40) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


class Gunicorn:
    """`gunicorn -c gunicorn.conf.py lkk_web.wsgi:app` with `workers` sync workers on a free
    loopback port, configured only through the environment, as docs/operations.md, "PostgreSQL
    and production", says; its log goes to <folder>/gunicorn.log."""

    def __init__(self, database_url: str, folder: Path, workers: int = 2,
                 fault_dir: Path | None = None, clock_start: dt.datetime = START,
                 secret_key: str = SECRET_KEY, log_level: str = "WARNING"):
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.log_path = self.folder / "gunicorn.log"
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("LKK_", "GUNICORN"))},
            "LKK_DATABASE_URL": database_url, "LKK_SECRET_KEY": secret_key,
            "LKK_PUBLIC_URL": self.base_url, "LKK_BIND": f"127.0.0.1:{self.port}",
            "LKK_WORKERS": str(workers), "LKK_MAIL_MODE": "folder",
            "LKK_VAR_DIR": str(self.folder / "var"), "LKK_CLOCK_START": clock_start.isoformat(),
            "LKK_LOG_LEVEL": log_level,
        }
        if fault_dir is not None:
            self.env["LKK_FAULT_DIR"] = str(fault_dir)
        self.process: subprocess.Popen | None = None

    def start(self) -> "Gunicorn":
        gunicorn = Path(sys.executable).parent / "gunicorn"
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                [str(gunicorn), "-c", str(ROOT / "gunicorn.conf.py"), "lkk_web.wsgi:app"],
                cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited ({self.process.returncode}):\n"
                                   + _tail(self.log_path))
            try:
                if requests.get(f"{self.base_url}/ready", timeout=2).status_code == 200:
                    return self
            except requests.RequestException:
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError("gunicorn did not become ready:\n" + _tail(self.log_path))

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def __enter__(self) -> "Gunicorn":
        return self.start()

    def __exit__(self, *_exc) -> None:
        self.stop()


def postgres_bin() -> Path | None:
    """The folder of PostgreSQL's server programs (initdb, pg_ctl), or None."""
    found = shutil.which("initdb")
    if found:
        return Path(found).parent
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(candidates[-1]).parent if candidates else None


class ThrowawayPostgres:
    """A PostgreSQL cluster of its own: initdb into a new folder, started on a free port, so a
    drill may stop and restart it — never the shared server. As root the cluster runs as the
    `postgres` user (PostgreSQL refuses to run as root). Removed on exit."""

    def __init__(self):
        self.bin = postgres_bin()
        if self.bin is None:
            raise RuntimeError("PostgreSQL's initdb not found")
        self.port = free_port()
        self.folder = Path(tempfile.mkdtemp(prefix="lkk-drill-pg-"))
        self.data = self.folder / "data"
        self.log_path = self.folder / "postgresql.log"
        self.user = "postgres" if os.geteuid() == 0 else None
        self.url = f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, *args: str) -> None:
        command = [str(self.bin / args[0]), *args[1:]]
        if self.user:
            command = ["runuser", "-u", self.user, "--", *command]
        done = subprocess.run(command, capture_output=True, text=True)
        if done.returncode:
            raise RuntimeError(f"{args[0]} failed: {done.stdout}{done.stderr}\n"
                               + _tail(self.log_path))

    def start(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log_path), "-w", "-t", "60",
                  "-o", f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1",
                  "start")

    def stop(self, mode: str = "fast") -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop")

    def _postmaster(self) -> int:
        return int((self.data / "postmaster.pid").read_text().split()[0])

    def _children(self, postmaster: int) -> list[int]:
        """Every process the postmaster started (backends, the checkpointer, …), from /proc."""
        children = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                # The parent's id is the second field after the command's closing parenthesis.
                parent = int(stat.read_text().rpartition(")")[2].split()[1])
            except (OSError, IndexError, ValueError):
                continue  # a process that ended meanwhile
            if parent == postmaster:
                children.append(int(stat.parent.name))
        return children

    def hang(self) -> None:
        """Stop the server, postmaster and backends alike (SIGSTOP), while the host still
        answers: the kernel accepts connections and acknowledges data, nobody replies. The
        postmaster first, so that it starts no backend the others would miss."""
        postmaster = self._postmaster()
        os.kill(postmaster, signal.SIGSTOP)
        for pid in self._children(postmaster):
            os.kill(pid, signal.SIGSTOP)

    def resume(self) -> None:
        """Let the hung server run on (SIGCONT), backends first."""
        postmaster = self._postmaster()
        for pid in self._children(postmaster):
            os.kill(pid, signal.SIGCONT)
        os.kill(postmaster, signal.SIGCONT)

    def __enter__(self) -> "ThrowawayPostgres":
        if self.user:
            shutil.chown(self.folder, self.user, self.user)
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust", "-E", "UTF8",
                  "--locale=C", "--no-sync")
        self.start()
        return self

    def __exit__(self, *_exc) -> None:
        try:
            self.stop("immediate")
        except RuntimeError:
            pass
        shutil.rmtree(self.folder, ignore_errors=True)


# --- what the billing registered -------------------------------------------------------------
@dataclass
class Seeded:
    """An organization a rehearsal registered: its billing id, login and meters' numbers."""

    billing_id: str
    email: str
    meter_numbers: list[str] = field(default_factory=list)


def organization_data(index: int, meters: int):
    """An invented organization number `index` with one house of `meters` one-zone individual
    meters, last accounted on LAST_DATE."""
    from lkk_integration.organizations.payloads import (AccountData, AccountedReadingData,
                                                        ContactPersonData, HouseData, MeterData,
                                                        OrganizationData)

    code = f"R{index:04d}"
    return OrganizationData(
        billing_id=f"ORG-{code}", full_name=f"ООО «Репетиция {index}»",
        short_name=f"Репетиция {index}", org_type="ТСЖ", inn="7700000023",
        contract_number=f"Р-{index}",
        contact_person=ContactPersonData(f"Репетицова Ольга {index}",
                                         f"person{index}@rehearsal.example"),
        houses=[HouseData(
            billing_id=f"H-{code}", settlement="Тестовск г.", street="Репетиционная ул.",
            house_number=str(index), accounts=[
                AccountData(number=f"{code}-{i:05d}", apartment=str(i + 1), meters=[MeterData(
                    billing_id=f"M-{code}-{i}", number=f"{index:04d}{i:05d}", zones=1,
                    capacity=6, last_reading=AccountedReadingData(
                        LAST_DATE, "Абонент", Decimal(1000 + i)))])
                for i in range(meters)])])


def seed(core, client_id: int, index: int, meters: int, password: str = PASSWORD) -> Seeded:
    """Register organization `index` as the billing would, and give its contact person
    `password` as their activation link would."""
    from lkk_integration.organizations.registry import register_organization

    data = organization_data(index, meters)
    register_organization(core, client_id, f"seed-{index}", data)
    activate(core, password, data.contact_person.email)
    return Seeded(data.billing_id, data.contact_person.email,
                  [m.number for a in data.houses[0].accounts for m in a.meters])


def new_values(numbers: list[str]) -> dict[str, dict]:
    """Readings for every meter: 50 kWh above its last accounted one, dated READING_DATE (the
    shape tests/support/spreadsheets.fill_template takes)."""
    return {number: {"t1": 1000 + int(number[-5:]) + 50, "date": READING_DATE}
            for number in numbers}


# --- a contact person, over HTTP ------------------------------------------------------------
class Cabinet:
    """A contact person's browser as `requests`: CSRF tokens from the forms, redirects followed,
    the flash messages read. `record(kind, seconds, status)` is called for every action."""

    def __init__(self, base_url: str, email: str, password: str = PASSWORD, record=None,
                 timeout: float = 120):
        self.base_url = base_url
        self.email = email
        self.password = password
        self.session = requests.Session()
        self.record = record or (lambda *_: None)
        self.timeout = timeout
        self.token = ""

    def _call(self, kind: str, method: str, path: str, **kwargs) -> requests.Response:
        started = time.perf_counter()
        try:
            answer = self.session.request(method, self.base_url + path, timeout=self.timeout,
                                          **kwargs)
        except requests.RequestException:
            self.record(kind, time.perf_counter() - started, 0)
            raise
        worst = max([r.status_code for r in answer.history] + [answer.status_code])
        self.record(kind, time.perf_counter() - started, worst)
        match = _CSRF.search(answer.text) if "text/html" in answer.headers.get(
            "Content-Type", "") else None
        if match:
            self.token = match.group(1)
        return answer

    @staticmethod
    def flashes(answer: requests.Response) -> list[str]:
        return [html.unescape(re.sub(r"\s+", " ", m).strip())
                for m in _FLASH.findall(answer.text)]

    def sign_in(self) -> requests.Response:
        self._call("login page", "GET", "/login")
        return self._call("login", "POST", "/login", data={
            "csrf_token": self.token, "email": self.email, "password": self.password})

    def file_tab(self) -> requests.Response:
        return self._call("file tab", "GET", "/readings/file")

    def template(self) -> bytes:
        tab = self.file_tab()
        houses = re.findall(r'name="house" value="(\d+)"', tab.text)
        answer = self._call("template", "POST", "/readings/template",
                            data={"csrf_token": self.token, "house": houses})
        answer.raise_for_status()
        return answer.content

    def upload(self, name: str, data: bytes) -> requests.Response:
        return self._call("upload", "POST", "/readings/upload",
                          data={"csrf_token": self.token},
                          files={"file": (name, data, "application/vnd.ms-excel")})

    def buffer_id(self) -> int | None:
        found = re.search(r"/readings/send/(\d+)", self.file_tab().text)
        return int(found.group(1)) if found else None

    def send(self, upload_id: int) -> requests.Response:
        return self._call("send", "POST", f"/readings/send/{upload_id}",
                          data={"csrf_token": self.token, "answer": "yes"})

    def close(self) -> None:
        self.session.close()
