//! The per-attempt spans of `tento::http`. Alone in its test binary: a subscriber set
//! for one thread while other tests send requests on others would race tracing's
//! per-callsite cache.
#![cfg(all(feature = "http", feature = "testing"))]

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tento::http::local::{Incoming, Reply, Server};
use tento::http::{ApiClient, HttpTransport, Request, Retry};

/// The spans a request opens, as `name field=value …` lines.
#[derive(Clone, Default)]
struct Spans(Arc<Mutex<Vec<String>>>);

struct Fields<'a>(&'a mut String);

impl tracing::field::Visit for Fields<'_> {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        self.0.push_str(&format!(" {}={:?}", field.name(), value));
    }
    fn record_str(&mut self, field: &tracing::field::Field, value: &str) {
        self.0.push_str(&format!(" {}={}", field.name(), value));
    }
}

impl tracing::Subscriber for Spans {
    fn enabled(&self, _: &tracing::Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, span: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        let mut line = span.metadata().name().to_owned();
        span.record(&mut Fields(&mut line));
        let mut spans = self.0.lock().unwrap();
        spans.push(line);
        tracing::span::Id::from_u64(spans.len() as u64)
    }
    fn record(&self, id: &tracing::span::Id, values: &tracing::span::Record<'_>) {
        let mut spans = self.0.lock().unwrap();
        let line = &mut spans[id.into_u64() as usize - 1];
        values.record(&mut Fields(line));
    }
    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}
    fn event(&self, _: &tracing::Event<'_>) {}
    fn enter(&self, _: &tracing::span::Id) {}
    fn exit(&self, _: &tracing::span::Id) {}
}

#[tokio::test]
async fn each_attempt_has_a_span_with_provider_row_status_and_attempt() {
    let server = Server::start(|r: &Incoming| match r.n {
        0 => Reply::with(503, "text/plain", "busy"),
        _ => Reply::json(serde_json::json!({})),
    })
    .await;
    let spans = Spans::default();
    let _guard = tracing::subscriber::set_default(spans.clone());
    let transport = HttpTransport::new(server.url()).unwrap();
    let api = ApiClient::new("acme", Arc::new(transport)).with_retry(Retry {
        base_delay: Duration::from_millis(1),
        ..Retry::default()
    });
    api.send("sleep", Request::get("/sleep")).await.unwrap();
    let lines: Vec<_> = spans
        .0
        .lock()
        .unwrap()
        .iter()
        .filter(|l| l.starts_with("http.request"))
        .cloned()
        .collect();
    assert_eq!(
        lines,
        [
            "http.request provider=acme row=sleep method=GET path=/sleep attempt=1 status=503",
            "http.request provider=acme row=sleep method=GET path=/sleep attempt=2 status=200",
        ]
    );
}
