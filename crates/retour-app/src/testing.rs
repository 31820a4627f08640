//! A fresh Retour per test: a temporary SQLite file, or a new PostgreSQL database when
//! `RETOUR_TEST_DATABASE_URL` names a server (see `retour_store::testing`). Only built with the
//! `testing` feature, which the test suites of the web and CLI crates turn on.

use retour_store::testing::TestDb;

use crate::{App, FieldCipher};

pub struct TestApp {
    pub app: App,
    /// The URL of this test's own database (for a second server over the same data).
    pub url: String,
    /// Where uploaded proofs go.
    pub files: tempfile::TempDir,
    db: TestDb,
}

impl TestApp {
    pub async fn new() -> TestApp {
        let db = TestDb::new().await;
        let files = tempfile::tempdir().expect("files folder");
        // Most suites sign in with a password alone; the two-step sign-in has its own tests,
        // which use the default roles (`with_mfa_roles`).
        let app = App::new(db.store.clone(), FieldCipher::random().1)
            .with_files(files.path())
            .with_mfa_roles(Vec::new());
        app.ensure_reference_policy()
            .await
            .expect("reference policy");
        app.ensure_offices(crate::demo::DEMO_OFFICES)
            .await
            .expect("offices");
        TestApp {
            app,
            url: db.url.clone(),
            files,
            db,
        }
    }

    /// The store underneath, for tests that check what was written.
    pub fn store(&self) -> &retour_store::Store {
        &self.db.store
    }

    /// The actor of an account, by e-mail.
    pub async fn actor_of(&self, email: &str) -> crate::Actor {
        let user = self.db.store.user_by_email(email).await.expect("account");
        crate::Actor::from_user(&user).expect("actor")
    }

    /// Assigns a case to a partner without the consent the use case requires: for tests of
    /// what a partner may see, set up in one line.
    pub async fn set_partner_org(&self, case_id: uuid::Uuid, partner_org: Option<&str>) {
        self.db
            .store
            .set_partner_org(
                case_id,
                partner_org,
                &retour_store::Audit::new(None, "test.assign"),
            )
            .await
            .expect("assign");
    }

    /// Records that a case received its departure premium on `paid_on`, as a case closed years
    /// ago would hold it: history set up in one line, without walking its lifecycle.
    pub async fn record_past_support(&self, case_id: uuid::Uuid, paid_on: time::Date) {
        self.db
            .store
            .record_premium(
                &retour_store::PremiumPayment {
                    case_id,
                    amount_cents: 35_000,
                    paid_on,
                    recorded_by: uuid::Uuid::nil(),
                    recorded_at: time::OffsetDateTime::now_utc(),
                },
                &retour_store::Audit::new(None, "test.history"),
            )
            .await
            .expect("premium");
    }

    /// Closes the database and drops a PostgreSQL test database.
    pub async fn finish(self) {
        self.db.finish().await
    }
}
