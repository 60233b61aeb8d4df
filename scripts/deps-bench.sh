#!/usr/bin/env bash
# Installs what the benchmarks (`make bench`) need beyond scripts/deps.sh,
# on Debian bookworm, idempotently: packages already installed are not
# touched, and apt-get update runs only when something is missing. Needs
# root (or sudo).
#
# PostgreSQL 15 with pgRouting (and PostGIS, which Debian's pgRouting
# package depends on) is the peer of bench/pgrouting.sh; no service is
# started (there is no systemd here): the bench script runs a private
# cluster of its own and stops it.
set -euo pipefail

PKGS=(
  postgresql-15 postgresql-client-15 postgresql-15-pgrouting
  postgresql-15-postgis-3 bc time
)

missing=()
for p in "${PKGS[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "deps-bench: installing ${missing[*]}" >&2
SUDO=
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null; then SUDO=sudo; else
    echo "deps-bench: not root and no sudo; install as root: apt-get install ${missing[*]}" >&2
    exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "deps-bench: done" >&2
