"""The example configuration in deploy/ is valid as it stands: nginx accepts the
load balancer's (nginx -t, Debian's nginx, installed by tests/run_suites.py),
systemd accepts the units, and they start what the project really has."""

import configparser
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import get_commands

from tests.redis_server import IN_CI

DEPLOY = Path(settings.BASE_DIR) / "deploy"
UNITS = sorted((DEPLOY / "systemd").glob("*.service")) + sorted((DEPLOY / "systemd").glob("*.timer"))


def tool_or_skip(name: str, package: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    message = f"{name} is not installed (sudo apt-get install -y {package})"
    if IN_CI:
        pytest.fail(f"{message}; under CI=true this may not be skipped")
    pytest.skip(message)
    return ""


def self_signed_certificate(folder: Path) -> tuple[Path, Path]:
    certificate, key = folder / "fullchain.pem", folder / "privkey.pem"
    subject = ["-subj", "/CN=showcase.example", "-days", "1", "-keyout", str(key), "-out", str(certificate)]
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", *subject],
        check=True,
        capture_output=True,
    )
    return certificate, key


def test_nginx_accepts_the_load_balancer_configuration(tmp_path):
    nginx = tool_or_skip("nginx", "nginx")
    certificate, key = self_signed_certificate(tmp_path)
    site = (DEPLOY / "nginx" / "showcase.conf").read_text()
    site = site.replace("/etc/ssl/showcase/fullchain.pem", str(certificate))
    site = site.replace("/etc/ssl/showcase/privkey.pem", str(key))
    (tmp_path / "showcase.conf").write_text(site)
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\n"
        f"http {{\n    access_log off;\n    include {tmp_path}/showcase.conf;\n}}\n"
    )

    checked = subprocess.run(
        [nginx, "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")], capture_output=True, text=True
    )

    assert checked.returncode == 0, checked.stderr
    assert "syntax is ok" in checked.stderr


def test_systemd_accepts_the_units(tmp_path):
    analyze = tool_or_skip("systemd-analyze", "systemd")
    # The programs live in /srv/showcase only once deployed: that they exist is the next test's business.
    checked = subprocess.run(
        [analyze, "verify", "--man=no", *map(str, UNITS)],
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin"},
    )

    problems = [
        line
        for line in checked.stderr.splitlines()
        if line.strip() and "is not executable" not in line and "No such file" not in line
    ]
    assert problems == []


@pytest.mark.parametrize(
    "unit", [unit for unit in UNITS if unit.suffix == ".service"], ids=lambda unit: unit.name
)
def test_each_unit_starts_a_program_the_project_has(unit):
    parsed = configparser.ConfigParser(interpolation=None, strict=False)
    parsed.read(unit)
    command = shlex.split(parsed["Service"]["ExecStart"])

    if "manage.py" in command:
        assert command[command.index("manage.py") + 1] in get_commands()
    elif Path(command[0]).name == "gunicorn":
        assert command[1] == settings.WSGI_APPLICATION.rsplit(".", 1)[0]
    else:
        assert (DEPLOY / Path(command[0]).relative_to("/srv/showcase/deploy")).is_file()
