#!/usr/bin/env bash
# `make test`'s first stage: formatting, clippy (server and browser builds) and the layers of
# the app crate. Fails on the first finding.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

cargo fmt --all -- --check
cargo clippy -p app -p server --all-targets --features app/ssr -- -D warnings
cargo clippy -p app -p frontend --target wasm32-unknown-unknown --features app/hydrate -- -D warnings

# The app crate's layers, lowest first: each may use only those below it, so no import goes up
# and none can form a cycle. text < domain < api, error < backend < components < pages < lib.rs
layer_uses_only() {
    local files=$1 allowed=$2 found
    found=$(grep -rnoE 'crate::[a-z_]+' $files | grep -vE "crate::($allowed)\b" || true)
    if [ -n "$found" ]; then
        echo "layer violation: $files may use only crate::{$allowed}" >&2
        echo "$found" >&2
        exit 1
    fi
}
layer_uses_only app/src/text "text"
layer_uses_only app/src/domain "text|domain"
layer_uses_only "app/src/api.rs app/src/api" "text|domain|api"
layer_uses_only app/src/error.rs "text|domain|error"
layer_uses_only app/src/backend "text|domain|api|error|backend"
layer_uses_only app/src/components "text|domain|api|error|backend|components"
layer_uses_only app/src/pages "text|domain|api|error|backend|components|pages"
echo "lint: formatting, clippy and layers clean"
