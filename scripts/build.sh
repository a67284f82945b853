#!/usr/bin/env bash
# The release build every script uses: server + wasm bundle, assets precompressed
# (brotli by cargo-leptos; gzip again at -9, cargo-leptos' own gzip is ~18 % larger).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PWD/.tools/node_modules/.bin:$PATH"
cargo leptos build --release --precompress --split
# The split manifest only makes the server add preload links for the lazy islands' chunks, and
# leptos_integration_utils 0.8.9 builds those links outside the request's reactive owner (they
# could land in another page rendered at the same time). Without it the loader fetches a chunk
# when its island is on the page.
rm -f target/site/pkg/__wasm_split_manifest.json*
for f in target/site/pkg/*.wasm target/site/pkg/*.js target/site/pkg/*.css; do
  gzip -9 -k -f -n "$f"
done
