/// Why a store could not open or write, naming the store and what to do. The database
/// stores return these inside their `anyhow::Error`s, so a host can `downcast_ref` them.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// The database URL or path is not one the store can use.
    #[error("{store}: `{url}` is not a database URL ({reason}); write {expected}")]
    InvalidUrl {
        /// `SQLite` or `PostgreSQL`.
        store: &'static str,
        /// The URL as given, password removed.
        url: String,
        /// What is wrong with it.
        reason: String,
        /// The form the store takes.
        expected: &'static str,
    },
    /// The database could not be reached or opened.
    #[error(
        "{store}: cannot open `{url}`: {reason}; check that the server runs and the URL's host, port, user and password"
    )]
    Unreachable {
        /// `SQLite` or `PostgreSQL`.
        store: &'static str,
        /// The URL or path, password removed.
        url: String,
        /// The driver's reason.
        reason: String,
    },
    /// The database was written by a newer tento, whose tables this one would misread.
    #[error(
        "{store}: `{url}` holds schema version {found}, newer than version {supported} this \
         build of tento knows; run the newer host, or point this one at another database \
         (tento never downgrades a schema)"
    )]
    NewerSchema {
        /// `SQLite` or `PostgreSQL`.
        store: &'static str,
        /// The URL or path, password removed.
        url: String,
        /// The version in the database.
        found: i64,
        /// [`SCHEMA_VERSION`](super::SCHEMA_VERSION).
        supported: i64,
    },
    /// Another process holds the SQLite file locked past the store's busy timeout.
    #[error(
        "{store}: `{url}` is locked by another process (waited {waited_ms} ms); stop the \
         other host using it, or give each host its own file (PostgreSQL serves many)"
    )]
    Locked {
        /// `SQLite`.
        store: &'static str,
        /// The path.
        url: String,
        /// How long the store waited for the lock.
        waited_ms: u64,
    },
    /// The disk (or the database's size cap) is full; the write was rolled back.
    #[error(
        "{store}: `{url}` is full, nothing of this write was kept; free disk space (or raise the database's size limit) and sync again"
    )]
    Full {
        /// `SQLite` or `PostgreSQL`.
        store: &'static str,
        /// The URL or path, password removed.
        url: String,
    },
    /// Any other database error.
    #[error("{store}: `{url}`: {reason}")]
    Database {
        /// `SQLite` or `PostgreSQL`.
        store: &'static str,
        /// The URL or path, password removed.
        url: String,
        /// The driver's reason.
        reason: String,
    },
}
