use tento::chrono::DateRange;
use tento::connector::wearable_window_for_stage;
use tento::sync::SyncProvider;

/// The lookup-key pattern the executor serves.
pub const ACTIVITIES_KEY: &str = ":~myprovider:{authId}:activities";

/// MyProvider's sync topology: a quick viewport stage, then a year of backfill, at most
/// four accounts at once (the API's per-client limit).
#[derive(Clone, Copy, Debug, Default)]
pub struct MyProviderSyncProvider;

impl SyncProvider for MyProviderSyncProvider {
    fn stages(&self) -> &'static [&'static str] {
        &["viewport", "backfill"]
    }

    fn max_concurrent(&self) -> Option<usize> {
        Some(4)
    }

    fn stage_key_range(&self, stage: &str) -> Option<DateRange> {
        Some(wearable_window_for_stage(stage))
    }
}
