//! The journal's schema and its migrations, keyed by SQLite's `user_version`.
//!
//! A file is recognised as a journal by its `application_id` (set once, when the schema is
//! created), so a foreign SQLite database passed by mistake is refused rather than written to.
//! Migration `MIGRATIONS[v]` takes the schema from version `v` to `v + 1`; a file whose version
//! is newer than [`SCHEMA_VERSION`] is refused untouched, because an older wfc cannot know what
//! a newer one's columns mean.

use rusqlite::{Connection, TransactionBehavior};

use super::error::{JournalError, Result};
use super::Journal;

/// The schema version this build writes and understands.
pub const SCHEMA_VERSION: i64 = 1;

/// `PRAGMA application_id` of a wfc journal: the ASCII bytes `wfc1`.
pub(crate) const APPLICATION_ID: i64 = 0x7766_6331;

/// Version 0 → 1: the initial schema. Times are unix milliseconds. `STRICT` makes SQLite reject
/// a value of the wrong type instead of storing it, so a bug cannot quietly write text into a
/// count.
const V1: &str = "
CREATE TABLE runs (
    id                 TEXT PRIMARY KEY NOT NULL,
    script_path        TEXT NOT NULL,
    script_hash        TEXT NOT NULL,
    plan_hash          TEXT NOT NULL,
    args_json          TEXT,
    limits_json        TEXT NOT NULL,
    backend            TEXT NOT NULL,
    status             TEXT NOT NULL
                       CHECK (status IN ('running', 'succeeded', 'failed', 'interrupted')),
    result_json        TEXT,
    error              TEXT,
    created_at         INTEGER NOT NULL,
    updated_at         INTEGER NOT NULL,
    attempt_started_at INTEGER NOT NULL,
    finished_at        INTEGER,
    attempts           INTEGER NOT NULL CHECK (attempts >= 1),
    cache_floor        INTEGER NOT NULL DEFAULT 1,
    cache_hits         INTEGER NOT NULL DEFAULT 0,
    cache_misses       INTEGER NOT NULL DEFAULT 0,
    agents_used        INTEGER NOT NULL DEFAULT 0
) STRICT;

CREATE INDEX runs_by_created ON runs (created_at);

CREATE TABLE calls (
    id          INTEGER PRIMARY KEY,
    run_id      TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    attempt     INTEGER NOT NULL,
    seq         INTEGER NOT NULL,
    content_key TEXT NOT NULL,
    site        TEXT,
    label       TEXT,
    phase       TEXT,
    backend     TEXT NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('running', 'completed', 'failed')),
    result_json TEXT,
    error       TEXT,
    started_at  INTEGER NOT NULL,
    ended_at    INTEGER,
    duration_ms INTEGER,
    -- The order of completion over the whole file (1, 2, …), NULL unless completed. A resume
    -- hands out duplicate keys' results in this order; the wall clock is too coarse (several
    -- calls complete in the same millisecond) and may jump.
    completion_seq INTEGER
) STRICT;

CREATE INDEX calls_by_key ON calls (run_id, content_key, status);
-- Makes `max(completion_seq)` one index lookup.
CREATE INDEX calls_by_completion ON calls (completion_seq);
";

/// The migrations, in order; `MIGRATIONS.len()` is [`SCHEMA_VERSION`].
const MIGRATIONS: &[&str] = &[V1];

/// What the header of the file says before anything is written.
struct Identity {
    application_id: i64,
    user_version: i64,
    /// Whether `sqlite_schema` lists anything (a fresh, empty file lists nothing).
    has_objects: bool,
}

fn identity(conn: &Connection) -> rusqlite::Result<Identity> {
    let application_id = conn.pragma_query_value(None, "application_id", |r| r.get(0))?;
    let user_version = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    // Reading sqlite_schema also reads page 1, so a damaged first page shows up here, before
    // anything is written.
    let has_objects = conn.query_row("SELECT EXISTS (SELECT 1 FROM sqlite_schema)", [], |r| {
        r.get(0)
    })?;
    Ok(Identity {
        application_id,
        user_version,
        has_objects,
    })
}

/// Refuses files that are not (or not yet understood as) a wfc journal, without writing to them.
/// Returns whether the schema needs creating or migrating.
pub(super) fn check(journal: &Journal) -> Result<bool> {
    let id = identity(&journal.conn).map_err(journal.sql("read the journal header"))?;
    verify(journal, &id)?;
    Ok(id.user_version < SCHEMA_VERSION)
}

fn verify(journal: &Journal, id: &Identity) -> Result<()> {
    let fresh = id.application_id == 0 && id.user_version == 0 && !id.has_objects;
    if fresh {
        return Ok(());
    }
    if id.application_id != APPLICATION_ID {
        let reason = if id.application_id != 0 {
            format!(
                "it is another application's SQLite database, application_id {:#x}",
                id.application_id
            )
        } else {
            "it is an SQLite database with tables that are not a wfc journal's".to_owned()
        };
        return Err(JournalError::NotAJournal {
            path: journal.path.clone(),
            reason,
        });
    }
    if id.user_version > SCHEMA_VERSION {
        return Err(JournalError::NewerSchema {
            path: journal.path.clone(),
            found: id.user_version,
            supported: SCHEMA_VERSION,
        });
    }
    Ok(())
}

/// Creates or migrates the schema in one `IMMEDIATE` transaction. The header is read again inside
/// the transaction, because another wfc process may have initialised the file in the meantime.
pub(super) fn migrate(journal: &Journal) -> Result<()> {
    let tx = rusqlite::Transaction::new_unchecked(&journal.conn, TransactionBehavior::Immediate)
        .map_err(journal.sql("lock the journal to create its schema"))?;
    let id = identity(&tx).map_err(journal.sql("read the journal header"))?;
    verify(journal, &id)?;
    let from = usize::try_from(id.user_version).unwrap_or(0);
    for (version, sql) in MIGRATIONS.iter().enumerate().skip(from) {
        tx.execute_batch(sql)
            .map_err(journal.sql("create the journal schema"))?;
        // user_version is written inside the transaction, so a crash leaves either the old
        // schema and version or the new ones, never a mix.
        tx.pragma_update(None, "user_version", version as i64 + 1)
            .map_err(journal.sql("set the journal schema version"))?;
    }
    tx.pragma_update(None, "application_id", APPLICATION_ID)
        .map_err(journal.sql("mark the file as a wfc journal"))?;
    tx.commit()
        .map_err(journal.sql("commit the journal schema"))?;
    Ok(())
}
