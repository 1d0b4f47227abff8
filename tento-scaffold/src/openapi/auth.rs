//! The credential from the spec's `securitySchemes`: OAuth2 (its token URL and scopes,
//! refreshed by the crate's credential type), an HTTP bearer token, or an API key in a
//! header or the query (stored as the account's access token, sent where the spec says).

use serde_json::Value;

use super::document::Document;

/// How the API authenticates.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Auth {
    /// `oauth2`, `bearer` or `api_key`.
    pub kind: &'static str,
    /// OAuth2's token endpoint, absolute.
    pub token_url: Option<String>,
    /// OAuth2's scopes.
    pub scopes: Vec<String>,
    /// The API key's header.
    pub header: Option<String>,
    /// The API key's query parameter.
    pub query: Option<String>,
}

impl Auth {
    /// The scheme the spec's operations use (its top-level `security` first), else the
    /// first one it declares; bearer when it declares none.
    pub fn read(doc: &Document, base_url: Option<&str>) -> Auth {
        let schemes = doc
            .root
            .pointer("/components/securitySchemes")
            .and_then(Value::as_object);
        let wanted = doc
            .root
            .get("security")
            .and_then(Value::as_array)
            .and_then(|s| s.first())
            .and_then(Value::as_object)
            .and_then(|o| o.keys().next().cloned());
        let scheme = schemes.and_then(|s| {
            wanted
                .as_ref()
                .and_then(|w| s.get(w))
                .or_else(|| {
                    // OAuth2 first: it is the one with a real refresh.
                    s.values()
                        .find(|v| doc.resolve(v).get("type").and_then(Value::as_str) == Some("oauth2"))
                })
                .or_else(|| s.values().next())
        });
        let bearer = Auth {
            kind: "bearer",
            token_url: None,
            scopes: Vec::new(),
            header: None,
            query: None,
        };
        let Some(scheme) = scheme.map(|s| doc.resolve(s)) else {
            return bearer;
        };
        match scheme.get("type").and_then(Value::as_str) {
            Some("oauth2") | Some("openIdConnect") => {
                let flows = scheme.get("flows").and_then(Value::as_object);
                let flow = flows.and_then(|f| {
                    ["authorizationCode", "clientCredentials", "password"]
                        .iter()
                        .find_map(|k| f.get(*k))
                });
                let token_url = flow
                    .and_then(|f| f.get("tokenUrl"))
                    .and_then(Value::as_str)
                    .map(|url| absolute(url, base_url));
                let scopes = flow
                    .and_then(|f| f.get("scopes"))
                    .and_then(Value::as_object)
                    .map(|s| s.keys().cloned().collect())
                    .unwrap_or_default();
                Auth {
                    kind: "oauth2",
                    token_url,
                    scopes,
                    ..bearer
                }
            }
            Some("apiKey") => {
                let name = scheme
                    .get("name")
                    .and_then(Value::as_str)
                    .unwrap_or("X-API-Key")
                    .to_owned();
                let place = scheme.get("in").and_then(Value::as_str);
                Auth {
                    kind: "api_key",
                    header: (place != Some("query")).then(|| name.clone()),
                    query: (place == Some("query")).then_some(name),
                    ..bearer
                }
            }
            _ => bearer,
        }
    }

    /// The offline transport's check that a request carries the credential.
    pub fn offline_check(&self) -> String {
        let has = match (&self.header, &self.query) {
            (_, Some(query)) => format!("request.query_value({query:?}).is_some_and(|v| !v.is_empty())"),
            (Some(header), _) => format!(
                "request.headers.iter().any(|(k, v)| k.eq_ignore_ascii_case({header:?}) && !v.is_empty())"
            ),
            _ => "request.headers.iter().any(|(k, v)| {\n            k.eq_ignore_ascii_case(\"authorization\") && !v.trim_start_matches(\"Bearer \").trim().is_empty()\n        })".to_owned(),
        };
        format!(
            "let authorized = {has};\n        if !authorized {{\n            return Response::status(401, \"no credential\");\n        }}"
        )
    }
}

/// `url` made absolute against the API's base URL (a relative `tokenUrl` is relative
/// to the server).
fn absolute(url: &str, base_url: Option<&str>) -> String {
    if url.starts_with("http://") || url.starts_with("https://") {
        return url.to_owned();
    }
    match base_url {
        Some(base) => {
            let origin = base.splitn(4, '/').take(3).collect::<Vec<_>>().join("/");
            format!("{origin}/{}", url.trim_start_matches('/'))
        }
        None => url.to_owned(),
    }
}

/// The API's base URL: the first server's, its variables at their defaults, when that
/// is an absolute http(s) URL.
pub fn base_url(doc: &Document) -> Option<String> {
    let server = doc.root.get("servers")?.as_array()?.first()?;
    let mut url = server.get("url")?.as_str()?.to_owned();
    if let Some(vars) = server.get("variables").and_then(Value::as_object) {
        for (name, var) in vars {
            if let Some(default) = var.get("default").and_then(Value::as_str) {
                url = url.replace(&format!("{{{name}}}"), default);
            }
        }
    }
    let url = url.trim_end_matches('/').to_owned();
    (url.starts_with("https://") || url.starts_with("http://")).then_some(url)
}
