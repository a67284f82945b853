#!/usr/bin/env bash
# Installs what building and testing the portal needs, skipping what is already there.
# Usage: scripts/setup.sh [run|test]   ("test" also installs the browser-test tools)
set -euo pipefail
cd "$(dirname "$0")/.."
MODE="${1:-run}"
CARGO_LEPTOS_VERSION=0.3.10
BINARYEN_VERSION=132

step() { printf '\033[1;34m==> %s\033[0m\n' "$*"; }
ok() { printf '    %s\n' "$*"; }

export PATH="$HOME/.cargo/bin:$PWD/.tools/node_modules/.bin:$PATH"

step "Rust wasm target"
if rustup target list --installed | grep -qx wasm32-unknown-unknown; then ok "present"; else rustup target add wasm32-unknown-unknown; fi

step "rustfmt and clippy"
if cargo fmt --version >/dev/null 2>&1 && cargo clippy --version >/dev/null 2>&1; then ok "present"; else rustup component add rustfmt clippy; fi

step "cargo-leptos $CARGO_LEPTOS_VERSION"
if cargo leptos --version 2>/dev/null | grep -q "$CARGO_LEPTOS_VERSION"; then ok "present"; else
  ok "building it once (about 10 minutes on 2 cores)..."
  # Its release profile (fat LTO, one codegen unit) keeps one core busy for minutes at the end of
  # a fresh machine's longest step; a build tool needs neither.
  CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
    cargo install "cargo-leptos@$CARGO_LEPTOS_VERSION" --locked --features no_downloads
fi

step "wasm-bindgen CLI matching Cargo.lock"
WBG_VERSION=$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/version = |"/, ""); print; exit}' Cargo.lock)
if wasm-bindgen --version 2>/dev/null | grep -q " $WBG_VERSION\$"; then ok "present ($WBG_VERSION)"; else
  ok "installing $WBG_VERSION (about 2 minutes)..."
  cargo install "wasm-bindgen-cli@$WBG_VERSION" --force
fi

step "wasm-opt (npm binaryen $BINARYEN_VERSION; Debian's is too old and breaks hydration)"
if [ -x .tools/node_modules/.bin/wasm-opt ] && .tools/node_modules/.bin/wasm-opt --version | grep -q "version $BINARYEN_VERSION"; then ok "present"; else
  mkdir -p .tools
  (cd .tools && [ -f package.json ] || echo '{"private":true}' > package.json)
  (cd .tools && npm install --no-audit --no-fund "binaryen@$BINARYEN_VERSION")
fi

step "Japanese font for the PDFs (Debian fonts-noto-cjk: embedded, subset, never downloaded at run time)"
if [ -f /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc ] && [ -f /usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc ]; then ok "present"; else
  apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends fonts-noto-cjk
fi

if [ "$MODE" = test ] || [ "$MODE" = bench ]; then
  step "pdftotext (Debian poppler-utils): the tests read the PDFs' text"
  if command -v pdftotext >/dev/null; then ok "present"; else
    apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends poppler-utils
  fi

  step "Chromium (Debian package) for the browser tests"
  if [ -x /usr/bin/chromium ]; then ok "present"; else
    apt-get update && apt-get install -y chromium
  fi

  step "PostgreSQL 15 server binaries"
  if [ -x /usr/lib/postgresql/15/bin/initdb ]; then ok "present"; else
    apt-get update && apt-get install -y postgresql-15
  fi

  step "nginx (Debian package) for the production topology (deploy/nginx.conf)"
  if [ -x /usr/sbin/nginx ]; then ok "present"; else
    # The tests start nginx processes of their own (own configuration, ports and logs).
    apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends nginx-light
  fi

  step "WebKitGTK's WebDriver and a virtual display (Safari's engine: end2end/webkit)"
  if [ -x /usr/bin/WebKitWebDriver ] && [ -x /usr/bin/xvfb-run ] && command -v xauth >/dev/null; then ok "present"; else
    apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends webkit2gtk-driver xvfb xauth
  fi

  step "end2end npm packages (Playwright, SMTP listener, WebDriver client)"
  if [ -d end2end/node_modules/@playwright/test ] && [ end2end/node_modules/.package-lock.json -nt end2end/package-lock.json ]; then ok "present"; else
    (cd end2end && npm ci --no-audit --no-fund)
  fi
fi

if [ "$MODE" = bench ]; then
  step "wrk (Debian package): the load generator of make bench"
  if command -v wrk >/dev/null; then ok "present"; else
    apt-get update && apt-get install -y wrk
  fi
fi
