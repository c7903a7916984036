#!/usr/bin/env bash
# What the tests need from the machine besides npm packages: Debian's
# poppler-utils (pdftotext reads exported PDFs back), Debian's chromium
# (the browser test of the portal drives it) and a PostgreSQL
# server on 127.0.0.1:5432 (user postgres, trust auth). Installs or starts
# what is missing; prints what to do where it cannot.
set -euo pipefail

need=()
command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
[ -x /usr/bin/chromium ] || need+=(chromium)

if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing ${need[*]} from Debian's packages"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  else
    echo "The tests need: ${need[*]}. Install them (e.g. sudo apt-get install ${need[*]}) and run again." >&2
    exit 1
  fi
fi

if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
  if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n 1)" main start
  fi
  for _ in $(seq 1 30); do
    pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null && break
    sleep 1
  done
  if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
    echo "The tests need PostgreSQL on 127.0.0.1:5432 (user postgres, trust auth), or REBOUND_TEST_POSTGRES set to a server URL." >&2
    exit 1
  fi
fi
