#!/usr/bin/env bash
# Installs the Debian packages the build and the tests need, skipping what is already there.
# Safe to run again. "--bench" adds what only the load benchmark needs (perf, for its profiles).
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config
  librocksdb-dev libasio-dev libssl-dev liblz4-dev libsnappy-dev libgmp-dev
  libcrypt-dev  # bcrypt password hashes (system_auth.roles), through libxcrypt
  libgtest-dev libgmock-dev libbenchmark-dev
  clang-19 libclang-rt-19-dev  # the sanitized build and the libFuzzer targets (engine/fuzz/)
  llvm-19  # llvm-symbolizer-19: function names and lines in sanitizer reports
  python3-venv nodejs npm
  openssl  # the openssl CLI makes the TLS tests' certificates (tests/tls_certs.py)
  chromium  # the browser tests' headless browser (driven by Playwright, tests/django/browser.py)
)
if [[ "${1:-}" == "--bench" ]]; then
  packages+=(linux-perf)  # perf record: bench/load/run.py --profile
fi

missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
# The machine image may ship node/npm outside dpkg; do not replace a working toolchain.
filtered=()
for p in "${missing[@]}"; do
  case "$p" in
    nodejs) command -v node >/dev/null || filtered+=("$p") ;;
    npm) command -v npm >/dev/null || filtered+=("$p") ;;
    python3-venv) python3 -c 'import venv, ensurepip' 2>/dev/null || filtered+=("$p") ;;
    *) filtered+=("$p") ;;
  esac
done

if ((${#filtered[@]})); then
  echo "installing Debian packages: ${filtered[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${filtered[@]}"
fi
