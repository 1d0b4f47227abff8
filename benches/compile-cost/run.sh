#!/usr/bin/env bash
# Compile cost of #[tento::provider] / #[tento::row] against the same code by hand.
#
# Generates two hosts of PROVIDERS providers × ROWS rows each (one crate each, a module
# per provider, a file per row): `macro-host` written with the macros and
# tento::auth_registry!, `hand-host` written as the seeds write providers (serde-derived
# Params, AuthProvider/Integration/Row impls, a UserAuth kind match). Then measures, RUNS
# times each and reporting the median:
#   - clean build of each host crate (its dependencies already built),
#   - rebuild after editing one row file,
#   - clean build of tento-macros with its dependencies, against a proc-macro crate that
#     depends on syn (same features) and quote alone.
# Not run by CI. Usage: benches/compile-cost/run.sh [workdir]
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
WORK="${1:-$(mktemp -d /tmp/tento-compile-cost.XXXXXX)}"
PROVIDERS="${PROVIDERS:-50}"
ROWS="${ROWS:-10}"
RUNS="${RUNS:-3}"
export CARGO_TARGET_DIR="$WORK/target"
mkdir -p "$WORK"

now() { date +%s.%N; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

sync_body='        let n = ctx.stage.len() + ctx.params.auth_id.len();
        ctx.deps.persist_cells(ctx.row_id, Vec::new()).await?;
        Ok(n)'

provider_common() { # $1 = provider index
    cat <<EOF
use std::sync::Arc;

use futures::future::BoxFuture;
use tento::connector::Cell;
use tento::oauth::{AuthHandle, OAuthCredentials};

/// Credential.
#[derive(Clone, serde::Deserialize)]
pub struct Creds {
    /// Account.
    pub account: String,
}
impl OAuthCredentials for Creds {}

/// Client.
#[derive(Clone)]
pub struct P$1Client {
    /// Token.
    pub token: Arc<String>,
}
impl From<AuthHandle<Creds>> for P$1Client {
    fn from(handle: AuthHandle<Creds>) -> Self {
        P$1Client { token: Arc::new(handle.access_token) }
    }
}

/// Deps.
pub trait P$1BackendDeps: Send + Sync {
    /// Persists cells.
    fn persist_cells<'a>(&'a self, row_id: uuid::Uuid, cells: Vec<Cell>) -> BoxFuture<'a, anyhow::Result<()>>;
}
EOF
}

gen_macro_host() {
    local dir="$WORK/macro-host"
    mkdir -p "$dir/src"
    cat > "$dir/Cargo.toml" <<EOF
[package]
name = "macro-host"
version = "0.0.0"
edition = "2024"
publish = false

[dependencies]
tento = { path = "$ROOT/tento" }
anyhow = "1"
futures = { version = "0.3", default-features = false, features = ["std"] }
serde = { version = "1", features = ["derive"] }
uuid = "1"
EOF
    {
        echo "//! $PROVIDERS providers × $ROWS rows, written with the macros."
        echo "#![deny(missing_docs)]"
        for i in $(seq 0 $((PROVIDERS - 1))); do echo "pub mod p$i;"; done
        echo "tento::auth_registry! {"
        echo "    /// Every auth kind."
        echo "    pub struct Kinds {"
        for i in $(seq 0 $((PROVIDERS - 1))); do echo "        p$i::P${i}Auth,"; done
        echo "    }"
        echo "}"
    } > "$dir/src/lib.rs"
    for i in $(seq 0 $((PROVIDERS - 1))); do
        mkdir -p "$dir/src/p$i"
        {
            echo "//! Provider $i."
            provider_common "$i"
            cat <<EOF

/// Provider $i.
#[tento::provider(kind = "p$i", name = "Provider $i", deps = dyn P${i}BackendDeps, credentials = Creds)]
pub struct P$i;
EOF
            for j in $(seq 0 $((ROWS - 1))); do echo "pub mod r$j;"; done
        } > "$dir/src/p$i.rs"
        for j in $(seq 0 $((ROWS - 1))); do
            cat > "$dir/src/p$i/r$j.rs" <<EOF
//! Row $j.
use tento::connector::SyncCtx;

/// Row $j.
pub struct R$j;

#[tento::row(provider = super::P$i, key = ":~p$i:{authId}:r$j", stages = ["viewport", "backfill"])]
impl R$j {
    async fn sync(ctx: SyncCtx<'_, Self>) -> anyhow::Result<usize> {
$sync_body
    }
}
EOF
        done
    done
}

gen_hand_host() {
    local dir="$WORK/hand-host"
    mkdir -p "$dir/src"
    sed 's/name = "macro-host"/name = "hand-host"/' "$WORK/macro-host/Cargo.toml" > "$dir/Cargo.toml"
    {
        echo "//! $PROVIDERS providers × $ROWS rows, written by hand as the seeds write them."
        echo "#![deny(missing_docs)]"
        for i in $(seq 0 $((PROVIDERS - 1))); do echo "pub mod p$i;"; done
        cat <<'EOF'
/// Decodes a stored credential by kind: the host's hand-written match.
pub fn decode(kind: &str, raw: serde_json::Value) -> anyhow::Result<tento::connector::ErasedCredentials> {
    use tento::connector::decode_credentials;
    Ok(match kind {
EOF
        for i in $(seq 0 $((PROVIDERS - 1))); do echo "        \"p$i\" => decode_credentials::<p$i::P${i}Auth>(raw)?,"; done
        cat <<'EOF'
        other => return Err(tento::connector::AuthError::UnknownKind(other.to_owned()).into()),
    })
}
EOF
    } > "$dir/src/lib.rs"
    echo 'serde_json = "1"' >> "$dir/Cargo.toml"
    for i in $(seq 0 $((PROVIDERS - 1))); do
        mkdir -p "$dir/src/p$i"
        {
            echo "//! Provider $i."
            provider_common "$i"
            cat <<EOF
use serde::Deserialize;
use tento::connector::{AuthProvider, Integration, UserAuth, UserAuthExt};
use tento::oauth::Auth;

/// Provider $i.
pub struct P$i;

/// Path-level params.
#[derive(Deserialize, Clone, Debug)]
pub struct P${i}Params {
    /// Auth id.
    #[serde(rename = "authId")]
    pub auth_id: String,
}

/// Auth marker.
pub struct P${i}Auth;

impl AuthProvider for P${i}Auth {
    const KIND: &'static str = "p$i";
    type AuthId = str;
    type Credentials = Auth<Creds>;
}

impl Integration for P$i {
    type Deps = dyn P${i}BackendDeps;
    type Client = P${i}Client;
    type Params = P${i}Params;

    fn client<'a>(
        user: &'a dyn UserAuth,
        _deps: &'a dyn P${i}BackendDeps,
        p: &'a Self::Params,
    ) -> BoxFuture<'a, anyhow::Result<Self::Client>> {
        Box::pin(async move {
            let auth = user
                .auth::<P${i}Auth>(&p.auth_id)
                .await?
                .ok_or_else(|| anyhow::anyhow!("no p$i auth"))?;
            let handle = auth.acquire_handle().await?;
            Ok(P${i}Client::from(handle))
        })
    }
}
EOF
            for j in $(seq 0 $((ROWS - 1))); do echo "pub mod r$j;"; done
        } > "$dir/src/p$i.rs"
        for j in $(seq 0 $((ROWS - 1))); do
            cat > "$dir/src/p$i/r$j.rs" <<EOF
//! Row $j.
use futures::future::BoxFuture;
use tento::connector::{Row, SyncCtx, SyncShape};

use super::{P$i, P${i}Params};

/// Row $j.
pub struct R$j;

impl Row for R$j {
    type Integration = P$i;
    type Params = ();
    const ROW_LABEL: &'static str = "p$i-r$j";

    fn lookup_key(int: &P${i}Params, _: &()) -> String {
        format!(":~p$i:{}:r$j", int.auth_id)
    }

    fn sync_shape() -> Option<SyncShape> {
        Some(SyncShape { stages: &["viewport", "backfill"], ..Default::default() })
    }

    fn sync<'a>(ctx: SyncCtx<'a, Self>) -> BoxFuture<'a, anyhow::Result<usize>> {
        Box::pin(async move {
$sync_body
        })
    }
}
EOF
        done
    done
}

gen_syn_only() {
    local dir="$WORK/syn-only"
    mkdir -p "$dir/src"
    local syn_features
    syn_features=$(grep '^syn' "$ROOT/tento-macros/Cargo.toml" | sed 's/.*features = \(\[[^]]*\]\).*/\1/')
    cat > "$dir/Cargo.toml" <<EOF
[package]
name = "syn-only"
version = "0.0.0"
edition = "2024"
publish = false

[lib]
proc-macro = true

[dependencies]
proc-macro2 = "1"
quote = "1"
syn = { version = "2", default-features = false, features = $syn_features }
EOF
    cat > "$dir/src/lib.rs" <<'EOF'
//! syn and quote, and nothing else: the floor tento-macros' own build is measured against.
use proc_macro::TokenStream;

/// Parses and gives back an item.
#[proc_macro_attribute]
pub fn same(_: TokenStream, item: TokenStream) -> TokenStream {
    let item: syn::Item = syn::parse_macro_input!(item);
    quote::quote!(#item).into()
}
EOF
}

rm -rf "$WORK/macro-host" "$WORK/hand-host" "$WORK/syn-only"
gen_macro_host
gen_hand_host
gen_syn_only
cat > "$WORK/Cargo.toml" <<EOF
[workspace]
resolver = "3"
members = ["macro-host", "hand-host", "syn-only"]
EOF
cp "$ROOT/Cargo.lock" "$WORK/Cargo.lock"
cd "$WORK"

echo "building dependencies once…" >&2
cargo build -q -p macro-host -p hand-host

clean_build() { # $1 = package
    cargo clean -q -p "$1"
    local t0; t0=$(now)
    cargo build -q -p "$1"
    echo "$(now) - $t0" | bc
}

rebuild() { # $1 = package
    echo "// edited $(now)" >> "$WORK/$1/src/p0/r0.rs"
    local t0; t0=$(now)
    cargo build -q -p "$1"
    echo "$(now) - $t0" | bc
}

macros_build() { # $1 = package (tento-macros or syn-only), with its dependencies, from nothing
    rm -rf "$WORK/target-macros"
    local t0; t0=$(now)
    if [ "$1" = tento-macros ]; then
        (cd "$ROOT" && CARGO_TARGET_DIR="$WORK/target-macros" cargo build -q -p tento-macros)
    else
        CARGO_TARGET_DIR="$WORK/target-macros" cargo build -q -p syn-only
    fi
    echo "$(now) - $t0" | bc
}

# Runs alternate between the two variants, so load on the machine weighs on both alike.
declare -A times
for _ in $(seq 1 "$RUNS"); do
    for pkg in macro-host hand-host; do times[clean-$pkg]+="$(clean_build "$pkg")"$'\n'; done
done
for _ in $(seq 1 "$RUNS"); do
    for pkg in macro-host hand-host; do times[rebuild-$pkg]+="$(rebuild "$pkg")"$'\n'; done
done
for _ in $(seq 1 "$RUNS"); do
    for pkg in tento-macros syn-only; do times[macros-$pkg]+="$(macros_build "$pkg")"$'\n'; done
done
declare -A result
for k in "${!times[@]}"; do result[$k]=$(printf '%s' "${times[$k]}" | median); done

ratio() { echo "scale=3; $1 / $2" | bc; }
printf '%s providers x %s rows, median of %s runs, %s cores (rustc %s)\n' \
    "$PROVIDERS" "$ROWS" "$RUNS" "$(nproc)" "$(rustc --version | cut -d' ' -f2)"
printf '| measure | macros (s) | by hand (s) | ratio |\n|---|---|---|---|\n'
printf '| clean build of the host crate | %.2f | %.2f | %s |\n' "${result[clean-macro-host]}" \
    "${result[clean-hand-host]}" "$(ratio "${result[clean-macro-host]}" "${result[clean-hand-host]}")"
printf '| rebuild after editing one row | %.2f | %.2f | %s |\n' "${result[rebuild-macro-host]}" \
    "${result[rebuild-hand-host]}" "$(ratio "${result[rebuild-macro-host]}" "${result[rebuild-hand-host]}")"
printf '| clean build: tento-macros vs syn + quote alone | %.2f | %.2f | %s |\n' "${result[macros-tento-macros]}" \
    "${result[macros-syn-only]}" "$(ratio "${result[macros-tento-macros]}" "${result[macros-syn-only]}")"
