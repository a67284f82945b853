#!/usr/bin/env bash
# The release build every script uses: server + wasm bundle, assets precompressed
# (brotli by cargo-leptos; gzip again at -9, cargo-leptos' own gzip is ~18 % larger).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PWD/.tools/node_modules/.bin:$PATH"
cargo leptos build --release --precompress
for f in target/site/pkg/*.wasm target/site/pkg/*.js target/site/pkg/*.css; do
  gzip -9 -k -f -n "$f"
done
