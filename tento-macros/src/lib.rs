//! Procedural macros for [tento](https://docs.rs/tento), re-exported by the `tento`
//! crate: depend on `tento`, not on this crate.
#![deny(missing_docs)]

mod ascii;
mod attr_args;
mod auth_registry;
mod crate_path;
mod errors;
#[cfg(test)]
mod expansion_tests;
mod item_span;
mod lookup_key;
mod params_struct;
mod provider;
mod row;
mod rowkey;
mod span;

use proc_macro::TokenStream;

/// Writes a provider's boilerplate from its marker struct.
///
/// ```text
/// #[tento::provider(kind = "myprovider", name = "My Provider",
///                   deps = dyn MyProviderBackendDeps, credentials = crate::oauth::MyProviderOAuthCredentials)]
/// pub struct MyProvider;
/// ```
///
/// | argument | required | meaning |
/// |---|---|---|
/// | `kind = "…"` | yes | the auth kind and the `~kind` of lookup keys: lower-case letters and digits |
/// | `name = "…"` | yes | the name an auth UI shows |
/// | `deps = …` | yes | the host-implemented seam, `dyn MyProviderBackendDeps` |
/// | `credentials = …` | yes | the OAuth credential type `C`; credentials are stored as `tento::oauth::Auth<C>` |
/// | `client = …` | no | the client type; default `<Marker>Client`, defined or imported by name (not by a glob) beside the marker |
/// | `key = "…"` | no | the key prefix; default `:~<kind>:{authId}`; more placeholders may follow `{authId}` |
/// | `display = path` | no | `fn(auth_id: &str, credentials: &Auth<C>) -> String`: how an account shows in an auth UI |
/// | `crate = "…"` | no | the path of the crate re-exporting tento; default `::tento` |
///
/// **The one thing the provider writes** is how its client is built from the acquired
/// OAuth handle: `impl From<tento::oauth::AuthHandle<C>> for MyProviderClient`.
///
/// Generated beside the marker, each item documented:
/// - `MY_PROVIDER_ID`, the provider id (its kind);
/// - `MyProviderParams`, one `String` field per placeholder of the key prefix
///   (`{authId}` → `auth_id`), deserialized by placeholder name;
/// - `MyProviderAuth`, the auth marker, implementing `AuthProvider` (`KIND`, `AuthId = str`,
///   `Credentials = Auth<C>`, the provider's metadata, the `display` hook);
/// - `impl Provider for MyProvider` (`INFO`: id, name, auth kind, key prefix) and
///   `impl Integration for MyProvider`, whose client is built with
///   `tento::connector::oauth_client` (failing with `no myprovider auth`).
///
/// Each mistake is one compile error at the tokens that hold it, and the items above are
/// still written beside it, so the rest of the crate (and rust-analyzer) keeps seeing
/// them: a type that lacks a trait the provider needs is reported at `credentials = …` or
/// `client = …` by the generated impl's `where` clause, with what to derive or implement;
/// a missing `<Marker>Client` says to define it or to name the client with `client = …`;
/// a kind or marker name that is not ASCII is refused with its ASCII spelling.
#[proc_macro_attribute]
pub fn provider(args: TokenStream, item: TokenStream) -> TokenStream {
    provider::provider(args.into(), item.into()).into()
}

/// Writes `impl Row` from a row's inherent `impl` block.
///
/// ```text
/// pub struct Activities;
///
/// #[tento::row(provider = MyProvider, key = ":~myprovider:{authId}:activities",
///              stages = ["viewport", "backfill"])]
/// impl Activities {
///     async fn sync(ctx: SyncCtx<'_, Self>) -> anyhow::Result<usize> { … }
/// }
/// ```
///
/// | argument | required | meaning |
/// |---|---|---|
/// | `provider = path` | yes | the provider's marker, made with `#[tento::provider]` (or implementing `Provider`) |
/// | `key = "…"` | yes | the row's lookup-key pattern: the provider's prefix, then the row's own segments |
/// | `stages = ["…", …]` | for synced rows | the sync stages, in order; requires `async fn sync` |
/// | `label = "…"` | no | `ROW_LABEL`; default the kind and the row's segments joined by `-` (`myprovider-activities`) |
/// | `crate = "…"` | no | the path of the crate re-exporting tento; default `::tento` |
///
/// Each `async fn` named after a `Row` method becomes that method in the trait's
/// `BoxFuture` form; a body that is not `Send` is reported at the method's name:
///
/// | method | signature |
/// |---|---|
/// | `sync` | `async fn sync(ctx: SyncCtx<'_, Self>) -> anyhow::Result<usize>` |
/// | `list_cells` | `async fn list_cells(ctx: RowCtx<'_, Self>, range: Option<DateRange>) -> anyhow::Result<Vec<Cell>>` |
/// | `get` | `async fn get(ctx: RowCtx<'_, Self>, cell_id: String) -> anyhow::Result<Option<Cell>>` |
/// | `post` | `async fn post(ctx: RowCtx<'_, Self>, cell: Cell) -> anyhow::Result<Cell>` |
/// | `patch` | `async fn patch(ctx: RowCtx<'_, Self>, cell_id: String, data: serde_json::Value) -> anyhow::Result<Cell>` |
/// | `delete` | `async fn delete(ctx: RowCtx<'_, Self>, cell_id: String) -> anyhow::Result<()>` |
///
/// A method that looks meant as one of these but is not (the DSL's verb `list` for
/// `list_cells`, a CRUD word such as `create`, a misspelling such as `synk`) is an error
/// naming the method to write. A return type other than the trait's is one error at the
/// return type written; a `provider` that is not a provider is one error at `provider = …`.
///
/// Every other item stays in an inherent impl. Generated: `ROW_LABEL`, `lookup_key`,
/// `sync_shape` (from `stages`), `type Params` (`()`, or `<Row>Params` with a field per
/// placeholder of the row's own part of the key), `SERVES` (the verbs of the methods
/// defined, plus `get` and `list` for a synced row or one defining `list_cells`, plus
/// `sync` for a synced row), and a compile-time check that the key starts with the
/// provider's key prefix.
#[proc_macro_attribute]
pub fn row(args: TokenStream, item: TokenStream) -> TokenStream {
    row::row(args.into(), item.into()).into()
}

/// Declares a host's auth kinds from the providers' auth markers, one line each.
///
/// ```text
/// tento::auth_registry! {
///     /// Every auth kind this host resolves.
///     pub struct HostAuthKinds {
///         tento_myprovider::connector::MyProviderAuth,
///         tento_other::connector::OtherAuth,
///     }
/// }
/// ```
///
/// Generates the struct and `impl tento::connector::AuthRegistry` for it: the host's
/// `UserAuth::credentials` decodes with `HostAuthKinds::decode(kind, raw)` instead of a
/// hand-written match, an auth UI lists `HostAuthKinds::providers()` and shows a stored
/// credential with `HostAuthKinds::display(kind, auth_id, raw)`. Two markers with the same
/// `KIND` fail the build, naming both. `#[tento(crate = "…")]` before the struct points
/// the generated code at a crate re-exporting tento.
#[proc_macro]
pub fn auth_registry(input: TokenStream) -> TokenStream {
    auth_registry::auth_registry(input.into()).into()
}

/// Implements `tento::connector::RowKeySchema` from the routes in a `#[rowkey { … }]`
/// block: the host's table from lookup key to row.
///
/// ```text
/// use tento::connector::RowKeySchema;
///
/// #[derive(RowKeySchema)]
/// #[rowkey {
///     [integration = ::tento_myprovider::connector::MyProvider] {
///         ":~myprovider:{authId}" {
///             ":activities" { get list sync
///                 ":logs" { list }
///             }
///             ":heart-rate" as crate::rows::HeartRate { get }
///         }
///     }
///     [integration = ::tento_weather::connector::Weather] {
///         ":~weather:{city}" {
///             ":{day}:hourly" { get list }
///         }
///     }
/// }]
/// pub struct RowKeys;
/// ```
///
/// # Grammar
///
/// ```text
/// rowkey      = "#[rowkey {" integration* "}]"
/// integration = "[" "integration" "=" TYPE-PATH "]" "{" prefix* "}"
/// prefix      = STRING row? "{" item* "}"          the key prefix: STRING starts with ":~<kind>"
/// item        = VERB | STRING row? "{" item* "}"   verbs of this route, or a nested segment
/// row         = "as" TYPE-PATH                     the route's row, named instead of found
/// VERB        = "get" | "list" | "post" | "patch" | "delete" | "sync"
/// STRING      = ( ":" SEGMENT )+                   a string literal
/// SEGMENT     = a name without whitespace, braces or ':' | "{" IDENT "}"
/// ```
///
/// Nested strings are appended, so `":activities" { ":logs" { list } }` under
/// `":~myprovider:{authId}"` is the route `:~myprovider:{authId}:activities:logs`. A
/// segment string with verbs is a route; one with only nested segments is a prefix of
/// its children. Verbs are separated by spaces, each listed once.
///
/// # Which row a route calls
///
/// By convention, the segment path under the integration's module: with
/// `[integration = ::a::connector::MyProvider]` and prefix `":~myprovider:{authId}"`,
/// `:activities` is `::a::connector::activities::Activities` and `:activities:logs` is
/// `::a::connector::activities::logs::Logs`: one module per literal segment under the
/// prefix (in snake_case: `:heart-rate` → `heart_rate`), the type named after the last one
/// (in UpperCamelCase: `HeartRate`); placeholders are skipped. So give the integration's
/// full path. Where the row lives elsewhere, name it: `":segment" as path::to::Row { … }`.
/// When the conventional path does not exist, the compiler's error points at the segment
/// string and names the module it looked in ("could not find `activitiez` in
/// `connector`"); a segment that cannot be a Rust name (`:7days`) is refused by the
/// derive itself. A route's row must be a `Row` whose `Integration` is the block's
/// integration.
///
/// # Placeholders
///
/// `{name}` takes any non-empty segment of the key. Placeholders in the key prefix fill the
/// integration's `Params`, the others the row's `Params`, each into the field named after
/// the placeholder in snake_case (`{authId}` → `auth_id`, which the `Params` struct
/// deserializes from `authId`, as `#[tento::provider]` writes it). A placeholder whose
/// field does not exist fails to compile at its segment string.
///
/// # What it generates
///
/// - `schemas()`: every route in order, with its pattern, row label and type, integration
///   kind and type, verbs, deps trait and sync shape: what
///   `IntegrationDeps::ensure_all_registered` walks at boot.
/// - `resolve()`: the router. The routes are compiled at expansion time into a
///   deterministic automaton over the key's `:`-separated segments whose literal
///   transitions sit in one perfect-hash table (`tento::host::router`); a lookup reads the
///   key once, sixteen bytes at a time, with one table probe per literal segment, whatever
///   the number of routes. It never panics nor allocates; a key no route matches is a
///   `Miss` borrowing it, which `ResolveError::from` turns into `ResolveError::NoRoute`
///   or, when it is not shaped like a lookup key, `ResolveError::Malformed`. `route_for`
///   and `dispatch` add `VerbNotAllowed`.
/// - `dispatch_route()`: `tento::host::dispatch_row` for the route's row.
/// - Compile-time checks: each verb a route lists against the row's `Row::SERVES` (a row
///   written by hand, with `SERVES = None`, serves anything), the row's integration, and
///   each placeholder's `Params` field.
///
/// # Mistakes it reports
///
/// Every mistake is a compile error at the token, saying what to write, all of them in
/// one build: a missing or malformed `[integration = …]`, missing braces, an unknown verb
/// (with the nearest one), a verb listed twice, an empty or malformed segment, a bad
/// placeholder, a placeholder listed twice, an empty block, a route the convention cannot
/// name a row for, a route declared twice, two routes some key matches both of (with
/// that key), integrations with no routes at all. A block with no integration is a host
/// with no provider yet: every key is a miss.
///
/// # Options
///
/// `#[rowkey(crate = "::my_connector")]` points the generated code at a crate that
/// re-exports tento's `connector` and `host` modules; the default is `::tento`.
#[proc_macro_derive(RowKeySchema, attributes(rowkey))]
pub fn derive_row_key_schema(input: TokenStream) -> TokenStream {
    rowkey::derive(input.into()).into()
}
