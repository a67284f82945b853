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

# A path that names several layers or rooms at once, or climbs out of its room by `super::super`,
# would hide an import from the checks above and below: write one `use` per layer or room.
no_path() {
    local pattern=$1 files=$2 why=$3 found
    found=$(grep -rnE "$pattern" $files || true)
    if [ -n "$found" ]; then
        echo "layer violation: $why" >&2
        echo "$found" >&2
        exit 1
    fi
}
no_path 'crate::\{' app/src "one use per layer (crate::{…} names several)"
no_path 'super::super' app/src "no super::super: name the layer or room (crate::…)"
no_path 'crate::backend::(\{|[A-Z])' "$(find app/src/backend -name '*.rs' ! -path app/src/backend/mod.rs)" \
    "inside backend/, name the room: crate::backend::<room>::… (one use per room)"

# The rooms of backend/, lowest first: each uses only the rooms before it (and itself).
# platform < audit < mail < identity < members, roster < staff < edge, maintenance
room_uses_only() {
    local room=$1 allowed=$2 files found
    files=""
    for f in "app/src/backend/$room" "app/src/backend/$room.rs"; do
        if [ -e "$f" ]; then files="$files $f"; fi
    done
    found=$(grep -rnoE 'crate::backend::[a-z_]+' $files | grep -vE "crate::backend::($allowed)\b" || true)
    if [ -n "$found" ]; then
        echo "room violation: backend/$room may use only crate::backend::{$allowed}" >&2
        echo "$found" >&2
        exit 1
    fi
    # `super::` of a room's own mod.rs, or of a one-file room, is backend/ itself (outside tests).
    for f in "app/src/backend/$room/mod.rs" "app/src/backend/$room.rs"; do
        [ -f "$f" ] || continue
        found=$(sed '/#\[cfg(test)\]/,$d' "$f" | grep -nE 'super::' || true)
        if [ -n "$found" ]; then
            echo "room violation: $f reaches backend/ through super::; name the room" >&2
            echo "$found" >&2
            exit 1
        fi
    done
}
room_uses_only platform "platform"
room_uses_only audit "platform|audit"
room_uses_only mail "platform|audit|mail"
room_uses_only identity "platform|audit|mail|identity"
room_uses_only members "platform|audit|mail|identity|members"
room_uses_only roster "platform|audit|mail|identity|roster"
room_uses_only documents "platform|audit|mail|identity|documents"
room_uses_only staff "platform|audit|mail|identity|members|roster|documents|staff"
room_uses_only edge "platform|audit|mail|identity|members|roster|documents|staff|edge"
room_uses_only maintenance "platform|audit|mail|identity|members|roster|documents|staff|maintenance"
rooms=$(ls app/src/backend | sed 's/\.rs$//' | grep -vx mod | sort | tr '\n' ' ')
if [ "$rooms" != "audit documents edge identity mail maintenance members platform roster staff " ]; then
    echo "room violation: backend/ holds rooms the check does not know: $rooms" >&2
    exit 1
fi
echo "lint: formatting, clippy, layers and rooms clean"
