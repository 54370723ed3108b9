//! The journal's errors. Each message names the file and says what to do, because the user sees
//! them as they are (`wfc run`, `wfc resume`, `wfc runs …`).

use std::io;
use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::ErrorCode;

/// What can go wrong with the run journal.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum JournalError {
    /// The state directory could not be created.
    #[error("cannot create the wfc state directory {}: {source}", path.display())]
    CreateDir {
        /// The directory.
        path: PathBuf,
        /// The operating system's reason.
        source: io::Error,
    },

    /// The journal (or one of its `-wal`/`-shm` files, or its directory) may not be written.
    #[error(
        "cannot open the run journal {} for reading and writing: {detail}; check the \
         permissions of the file and its directory, or pass --state-dir",
        path.display()
    )]
    PermissionDenied {
        /// The journal file.
        path: PathBuf,
        /// What exactly was refused.
        detail: String,
    },

    /// SQLite could not open the journal or create its `-wal`/`-shm` files next to it.
    #[error(
        "cannot open the run journal {} or its -wal/-shm files ({detail}); check that the file \
         and its directory exist and are writable, or pass --state-dir",
        path.display()
    )]
    CannotOpen {
        /// The journal file.
        path: PathBuf,
        /// SQLite's description.
        detail: String,
    },

    /// Another file-system error while preparing the journal file.
    #[error("cannot open the run journal {}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The operating system's reason.
        source: io::Error,
    },

    /// The file is not an SQLite database at all (SQLite's `SQLITE_NOTADB`).
    #[error(
        "{} is not a wfc journal (file is not a database); it was left untouched; \
         move it away or pass --state-dir",
        path.display()
    )]
    NotADatabase {
        /// The file.
        path: PathBuf,
    },

    /// The file is an SQLite database, but another program's.
    #[error(
        "{} is not a wfc journal ({reason}); it was left untouched; move it away or pass \
         --state-dir",
        path.display()
    )]
    NotAJournal {
        /// The file.
        path: PathBuf,
        /// How it differs from a journal.
        reason: String,
    },

    /// The database is damaged (`SQLITE_CORRUPT`).
    #[error(
        "the run journal {} is damaged ({detail}); it was left untouched; move it away or pass \
         --state-dir (`sqlite3 {} .recover` may salvage its contents)",
        path.display(),
        path.display()
    )]
    Corrupt {
        /// The file.
        path: PathBuf,
        /// SQLite's description, usually "database disk image is malformed".
        detail: String,
    },

    /// Another connection held the lock for longer than the busy timeout.
    #[error(
        "the run journal {} is locked by another wfc process (gave up after {} ms); nothing was \
         written; try again when it has finished, or pass --state-dir",
        path.display(),
        waited.as_millis()
    )]
    Locked {
        /// The file.
        path: PathBuf,
        /// The busy timeout that expired.
        waited: Duration,
    },

    /// The journal was written by a newer wfc, with a schema this one does not know.
    #[error(
        "the run journal {} has schema version {found}, but this wfc understands versions up to \
         {supported}; it was left untouched; upgrade wfc or pass --state-dir",
        path.display()
    )]
    NewerSchema {
        /// The file.
        path: PathBuf,
        /// The file's `user_version`.
        found: i64,
        /// The newest version this build knows.
        supported: i64,
    },

    /// The device is full; the change was not written.
    #[error("the disk holding the run journal {} is full; nothing was written", path.display())]
    DiskFull {
        /// The file.
        path: PathBuf,
    },

    /// No run has this id (or id prefix).
    #[error("no run `{id}` in the journal {}", path.display())]
    UnknownRun {
        /// What was asked for.
        id: String,
        /// The journal file.
        path: PathBuf,
    },

    /// Several runs start with this prefix.
    #[error("run id prefix `{prefix}` is ambiguous: it matches {}", matches.join(", "))]
    AmbiguousRun {
        /// What was asked for.
        prefix: String,
        /// Some of the matching ids (at most ten).
        matches: Vec<String>,
    },

    /// No call has this id.
    #[error("no agent call #{id} in the journal {}", path.display())]
    UnknownCall {
        /// The call id.
        id: i64,
        /// The journal file.
        path: PathBuf,
    },

    /// The caller passed something the journal refuses to store.
    #[error("run journal: {0}")]
    InvalidInput(String),

    /// Any other SQLite failure, with the operation that failed.
    #[error("run journal {}: {op} failed: {source}", path.display())]
    Sqlite {
        /// The file.
        path: PathBuf,
        /// What the journal was doing.
        op: &'static str,
        /// SQLite's error.
        source: rusqlite::Error,
    },
}

impl JournalError {
    /// Classifies an SQLite error: the states a user can act on (not a database, damaged, locked,
    /// read-only, disk full) get their own variant and message; the rest keep SQLite's text.
    pub(crate) fn from_sqlite(
        path: &Path,
        op: &'static str,
        busy_timeout: Duration,
        e: rusqlite::Error,
    ) -> JournalError {
        let path = path.to_path_buf();
        let rusqlite::Error::SqliteFailure(failure, message) = &e else {
            return JournalError::Sqlite {
                path,
                op,
                source: e,
            };
        };
        match failure.code {
            ErrorCode::NotADatabase => JournalError::NotADatabase { path },
            ErrorCode::DatabaseCorrupt => JournalError::Corrupt {
                path,
                detail: message
                    .clone()
                    .unwrap_or_else(|| "database disk image is malformed".to_owned()),
            },
            ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked => JournalError::Locked {
                path,
                waited: busy_timeout,
            },
            ErrorCode::PermissionDenied | ErrorCode::ReadOnly => JournalError::PermissionDenied {
                path,
                detail: message.clone().unwrap_or_else(|| e.to_string()),
            },
            ErrorCode::CannotOpen => JournalError::CannotOpen {
                path,
                detail: message.clone().unwrap_or_else(|| e.to_string()),
            },
            ErrorCode::DiskFull => JournalError::DiskFull { path },
            _ => JournalError::Sqlite {
                path,
                op,
                source: e,
            },
        }
    }
}

/// The journal's `Result`.
pub type Result<T, E = JournalError> = std::result::Result<T, E>;
