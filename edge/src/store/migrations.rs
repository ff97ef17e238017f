//! Versioned schema migrations for the SQLite database of a Durable Object.

use std::cell::Cell;

use serde::Deserialize;
use worker::SqlStorage;

/// The schema of one Durable Object instance: migrated on its first request, then remembered.
#[derive(Default)]
pub struct Schema {
    migrated: Cell<bool>,
}

impl Schema {
    /// Makes sure `steps` have been applied before the instance touches its tables.
    pub fn ready(&self, sql: &SqlStorage, steps: &[&str]) -> worker::Result<()> {
        if !self.migrated.get() {
            migrate(sql, steps)?;
            self.migrated.set(true);
        }
        Ok(())
    }
}

#[derive(Deserialize)]
struct Version {
    version: Option<i64>,
}

/// Brings the schema to the latest version: runs every statement of `steps` not yet applied, in
/// order, recording each. Runs synchronously, so a request never sees a half-migrated schema.
fn migrate(sql: &SqlStorage, steps: &[&str]) -> worker::Result<()> {
    sql.exec("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY)", None)?;
    let applied =
        sql.exec("SELECT max(version) AS version FROM schema_migrations", None)?.one::<Version>()?.version.unwrap_or(0);
    for (index, statement) in steps.iter().enumerate().skip(applied.max(0) as usize) {
        sql.exec(statement, None)?;
        sql.exec("INSERT INTO schema_migrations (version) VALUES (?)", vec![(index as i64 + 1).into()])?;
    }
    Ok(())
}
