#!/usr/bin/env bash
# Install the PostgreSQL server the DuckLake tests and benchmark start a private cluster with
# (tests/pg.py runs initdb in a temporary folder; nothing is configured system-wide and no
# service is started). Idempotent: does nothing when /usr/lib/postgresql/*/bin/initdb exists.
# Needs root (CI containers run as root); apt talks only to the Debian package mirrors.
set -euo pipefail

have_initdb() {
    compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null
}

if have_initdb; then
    echo "install-postgres: $(ls /usr/lib/postgresql/*/bin/initdb | tail -n 1) already present"
    exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then
        SUDO="sudo"
    else
        echo "install-postgres: need root (or sudo) to apt-get install postgresql" >&2
        exit 1
    fi
fi

export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update
$SUDO apt-get install -y --no-install-recommends postgresql

have_initdb
# the package creates the unprivileged `postgres` user the server runs as when we are root
id postgres >/dev/null
echo "install-postgres: installed $(ls /usr/lib/postgresql/*/bin/initdb | tail -n 1)"
