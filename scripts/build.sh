#!/usr/bin/env bash
# The release build every script uses: server + wasm bundle, assets precompressed
# (brotli by cargo-leptos; gzip again at -9, cargo-leptos' own gzip is ~18 % larger).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PWD/.tools/node_modules/.bin:$PATH"
cargo leptos build --release --precompress --split
# cargo-leptos can return while the front's wasm-bindgen/wasm-opt and brotli pass still run (seen
# when the machine was slow: "Precompression ... finished" logged after the command returned),
# and a server started then serves a stale or uncompressed bundle. Wait until every asset has
# its .br, written after the asset itself.
for _ in $(seq 600); do
  pending=0
  for f in target/site/pkg/*.wasm target/site/pkg/*.js target/site/pkg/*.css; do
    [ -f "$f.br" ] && [ ! "$f.br" -ot "$f" ] || pending=1
  done
  [ "$pending" = 0 ] && break
  sleep 0.2
done
[ "$pending" = 0 ] || { echo "build.sh: assets not precompressed after 120 s" >&2; exit 1; }
# The split manifest only makes the server add preload links for the lazy islands' chunks, and
# leptos_integration_utils 0.8.9 builds those links outside the request's reactive owner (they
# could land in another page rendered at the same time). Without it the loader fetches a chunk
# when its island is on the page.
rm -f target/site/pkg/__wasm_split_manifest.json*
for f in target/site/pkg/*.wasm target/site/pkg/*.js target/site/pkg/*.css; do
  gzip -9 -k -f -n "$f"
done
