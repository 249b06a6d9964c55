#!/usr/bin/env bash
# Installs what npq needs to build, run and test, skipping whatever is already there.
# Debian packages through apt (as root, or through sudo), front-end and test packages through npm.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  # build
  gcc meson ninja-build pkg-config python3
  # libraries
  libh2o-evloop-dev libssl-dev libsqlite3-dev libjansson-dev libsodium-dev libcmark-dev
  libcurl4-openssl-dev libcairo2-dev libpango1.0-dev libcsv-dev libpq-dev
  # the fonts certificates and transcripts are drawn in (src/pdf): DejaVu, and Noto for every
  # script DejaVu lacks (Chinese, Japanese and Korean names need the CJK set)
  fonts-dejavu-core fonts-noto-core fonts-noto-cjk
  # tests and benchmarks
  libcmocka-dev clang libclang-rt-14-dev nodejs npm chromium python3-aiosmtpd wrk nginx-light curl poppler-utils
  # the PostgreSQL server the store's tests run against (scripts/with-postgres.sh)
  postgresql
)

missing=()
for p in "${packages[@]}"; do
  # a command that is already on the PATH (node and npm are often installed outside apt) counts
  case "$p" in
    nodejs) command -v node >/dev/null 2>&1 && continue ;;
    npm) command -v npm >/dev/null 2>&1 && continue ;;
  esac
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$p")
done

if ((${#missing[@]} > 0)); then
  echo "install-deps: installing ${missing[*]}"
  sudo=""
  [[ $(id -u) -eq 0 ]] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  # nginx's package starts a server on port 80 where it can; npq only runs its own, on loopback.
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# npm ci only when the lock file has changed since the last install.
stamp=node_modules/.npq-lock-stamp
if [[ ! -f "$stamp" ]] || ! cmp -s package-lock.json "$stamp"; then
  echo "install-deps: installing npm packages"
  npm ci --no-audit --no-fund --loglevel=error
  cp package-lock.json "$stamp"
fi
