use std::fmt;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The user on whose behalf rows are read and synced.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Owner(pub Uuid);

/// Namespace of [`Owner::row_id`]'s version-5 UUIDs: row ids are stable across runs and
/// hosts, so a store keyed by them survives restarts.
const ROW_ID_NAMESPACE: Uuid = Uuid::from_u128(0x7e6e_70c0_5b1d_4c4e_9f0a_2d3b_7a11_c0de);

impl Owner {
    /// The id of the row this owner sees under `lookup_key`; the same inputs always give
    /// the same id.
    pub fn row_id(&self, lookup_key: &str) -> Uuid {
        let mut name = Vec::with_capacity(16 + lookup_key.len());
        name.extend_from_slice(self.0.as_bytes());
        name.extend_from_slice(lookup_key.as_bytes());
        Uuid::new_v5(&ROW_ID_NAMESPACE, &name)
    }
}

impl fmt::Display for Owner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}
