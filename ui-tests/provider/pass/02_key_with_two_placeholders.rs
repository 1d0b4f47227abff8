//! A key prefix with a second placeholder: both become fields of the params, each
//! renamed to its placeholder.
#![deny(warnings, missing_docs)]

use tento::connector::{Provider, RouteParams};
use tento::host::parse_params;
use tento::oauth::{AuthHandle, OAuthCredentials};

/// Credential.
#[derive(Clone, serde::Deserialize)]
pub struct Creds;
impl OAuthCredentials for Creds {}

/// Client.
pub struct WeatherClient;
impl From<AuthHandle<Creds>> for WeatherClient {
    fn from(_: AuthHandle<Creds>) -> Self {
        WeatherClient
    }
}

/// Deps.
pub trait WeatherDeps: Send + Sync {}

/// Weather, per account and region.
#[tento::provider(kind = "weather", name = "Weather", deps = dyn WeatherDeps, credentials = Creds,
                  key = ":~weather:{authId}:{regionCode}")]
pub struct Weather;

fn main() {
    assert_eq!(Weather::INFO.key_prefix, ":~weather:{authId}:{regionCode}");
    assert_eq!(Weather::INFO.placeholders().collect::<Vec<_>>(), ["authId", "regionCode"]);
    let mut route = RouteParams::new();
    route.push("authId", "a1");
    route.push("regionCode", "no-osl");
    let params: WeatherParams = parse_params(&route).unwrap();
    assert_eq!(params, WeatherParams { auth_id: "a1".into(), region_code: "no-osl".into() });
    let mut missing = RouteParams::new();
    missing.push("authId", "a1");
    let err = parse_params::<WeatherParams>(&missing).unwrap_err();
    assert!(err.message.contains("regionCode"), "{err}");
}
