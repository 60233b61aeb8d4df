#!/usr/bin/env bash
# Installs what flyttkarta needs to build and test on Debian bookworm,
# idempotently: packages already installed are not touched, and apt-get
# update runs only when something is missing. Needs root (or sudo).
#   scripts/deps.sh           build and test dependencies
#   scripts/deps.sh --bench   also what `make bench` needs: PostgreSQL 15 with
#                             pgRouting (and PostGIS, which Debian's pgRouting
#                             package depends on) as the peer of
#                             bench/pgrouting.sh; no service is started
set -euo pipefail

PKGS=(
  build-essential clang libclang-rt-14-dev pkg-config
  libreadosm-dev libcsv-dev libzip-dev libjansson-dev zlib1g-dev
  libcmocka-dev libgeos-dev osmium-tool time bc
)
what=deps
if [ "${1:-}" = --bench ]; then
  PKGS+=(postgresql-15 postgresql-client-15 postgresql-15-pgrouting postgresql-15-postgis-3)
  what=deps-bench
fi

missing=()
for p in "${PKGS[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "$what: installing ${missing[*]}" >&2
SUDO=
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null; then SUDO=sudo; else
    echo "$what: not root and no sudo; install as root: apt-get install ${missing[*]}" >&2
    exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "$what: done" >&2
