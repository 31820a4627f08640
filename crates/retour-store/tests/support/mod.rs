//! A fresh database per test: a temporary SQLite file, or a new PostgreSQL database when
//! `RETOUR_TEST_DATABASE_URL` names a server.

use retour_store::Store;

pub struct TestDb {
    pub store: Store,
    cleanup: Option<(String, String)>,
    _dir: Option<tempfile::TempDir>,
}

pub async fn sqlite_store() -> (Store, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("t.db").display());
    (Store::open(&url).await.unwrap(), dir)
}

impl TestDb {
    pub async fn new() -> TestDb {
        match std::env::var("RETOUR_TEST_DATABASE_URL") {
            Ok(url) if !url.is_empty() => {
                let admin = Store::connect(&url)
                    .await
                    .expect("RETOUR_TEST_DATABASE_URL is set but unreachable");
                let name = format!("retour_t_{}", uuid::Uuid::now_v7().simple());
                admin
                    .execute_admin(&format!("CREATE DATABASE {name}"))
                    .await
                    .unwrap();
                admin.close().await;
                let store = Store::open(&retour_store::with_database(&url, &name))
                    .await
                    .unwrap();
                TestDb {
                    store,
                    cleanup: Some((url, name)),
                    _dir: None,
                }
            }
            _ => {
                let (store, dir) = sqlite_store().await;
                TestDb {
                    store,
                    cleanup: None,
                    _dir: Some(dir),
                }
            }
        }
    }

    pub async fn finish(self) {
        self.store.close().await;
        if let Some((url, name)) = self.cleanup {
            let admin = Store::connect(&url).await.unwrap();
            admin
                .execute_admin(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                .await
                .unwrap();
            admin.close().await;
        }
    }
}
