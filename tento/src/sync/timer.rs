use std::time::{Duration, Instant};

use futures::future::BoxFuture;

/// The clock the orchestrator bounds stages and runs with.
///
/// The default, [`ThreadTimer`], works under any executor. A host on tokio may pass one
/// on tokio's clock instead (so `tokio::time::pause` drives it in tests):
///
/// ```
/// # use std::time::{Duration, Instant};
/// # use futures::future::BoxFuture;
/// struct TokioTimer;
/// impl tento::sync::Timer for TokioTimer {
///     fn now(&self) -> Instant {
///         tokio::time::Instant::now().into_std()
///     }
///     fn sleep(&self, duration: Duration) -> BoxFuture<'static, ()> {
///         Box::pin(tokio::time::sleep(duration))
///     }
/// }
/// ```
pub trait Timer: Send + Sync {
    /// The current instant on this timer's clock: a run's deadline is measured with it.
    fn now(&self) -> Instant {
        Instant::now()
    }

    /// A future that is ready once `duration` has passed on this timer's clock.
    fn sleep(&self, duration: Duration) -> BoxFuture<'static, ()>;
}

/// A [`Timer`] backed by one helper thread (`futures-timer`), needing no runtime's
/// reactor: the orchestrator stays runtime-agnostic.
#[derive(Clone, Copy, Debug, Default)]
pub struct ThreadTimer;

impl Timer for ThreadTimer {
    fn sleep(&self, duration: Duration) -> BoxFuture<'static, ()> {
        Box::pin(futures_timer::Delay::new(duration))
    }
}
