//! A fresh database per test: a temporary SQLite file, or a new PostgreSQL database when
//! `RETOUR_TEST_DATABASE_URL` names a server. Used by the test suites of every crate.

use crate::Store;

pub struct TestDb {
    pub store: Store,
    /// The URL of this test's own database (for a second connection, or a restarted server).
    pub url: String,
    cleanup: Option<(String, String)>,
    _dir: Option<tempfile::TempDir>,
}

pub async fn sqlite_store() -> (Store, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("temporary folder");
    let url = format!("sqlite://{}", dir.path().join("t.db").display());
    (Store::open(&url).await.expect("open SQLite"), dir)
}

impl TestDb {
    pub async fn new() -> TestDb {
        match std::env::var("RETOUR_TEST_DATABASE_URL") {
            Ok(server) if !server.is_empty() => {
                let admin = Store::connect(&server)
                    .await
                    .expect("RETOUR_TEST_DATABASE_URL is set but unreachable");
                let name = format!("retour_t_{}", uuid::Uuid::now_v7().simple());
                admin
                    .execute_admin(&format!("CREATE DATABASE {name}"))
                    .await
                    .expect("create test database");
                admin.close().await;
                let url = crate::with_database(&server, &name);
                let store = Store::open(&url).await.expect("open test database");
                TestDb {
                    store,
                    url,
                    cleanup: Some((server, name)),
                    _dir: None,
                }
            }
            _ => {
                let (store, dir) = sqlite_store().await;
                let url = format!("sqlite://{}", dir.path().join("t.db").display());
                TestDb {
                    store,
                    url,
                    cleanup: None,
                    _dir: Some(dir),
                }
            }
        }
    }

    /// Closes the store and drops a PostgreSQL test database.
    pub async fn finish(self) {
        self.store.close().await;
        if let Some((server, name)) = self.cleanup {
            let admin = Store::connect(&server).await.expect("reconnect");
            admin
                .execute_admin(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                .await
                .expect("drop test database");
            admin.close().await;
        }
    }
}

impl Store {
    /// Runs `sql` as someone with write access to the database file or a superuser would:
    /// past the audit trail's guards. For the tests that tamper with the trail.
    pub async fn execute_past_audit_guard(&self, sql: &str) -> crate::StoreResult<()> {
        match self.backend() {
            crate::Backend::Sqlite => {
                self.execute_admin(
                    "DROP TRIGGER IF EXISTS audit_log_never_deleted; \
                     DROP TRIGGER IF EXISTS audit_log_never_changed",
                )
                .await?;
                self.execute_admin(sql).await
            }
            crate::Backend::Postgres => {
                self.execute_admin(&format!(
                    "ALTER TABLE audit_log DISABLE TRIGGER USER; {sql}; \
                     ALTER TABLE audit_log ENABLE TRIGGER USER"
                ))
                .await
            }
        }
    }
}
