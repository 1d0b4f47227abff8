use serde::{Deserialize, Serialize};

use crate::chrono::SemanticTime;

/// One datum a row holds: an activity, a night of sleep, a weight reading.
///
/// This is the only value that crosses from a provider into its host. A host whose own
/// cell type has the same shape makes it a `#[repr(transparent)]` newtype over `Cell`,
/// so converting is identity and no field is translated by hand.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Cell {
    /// The provider's stable id for the datum, when it has one. Stores upsert by it.
    pub id: Option<String>,
    /// When the datum happened (or starts).
    pub date: SemanticTime,
    /// When it ends, for spans such as a night of sleep.
    pub end_date: Option<SemanticTime>,
    /// The provider's payload, as JSON.
    pub data: serde_json::Value,
}
