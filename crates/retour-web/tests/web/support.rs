//! A real Retour server on a free port over a fresh database, and HTTP clients signed in as
//! each kind of user.

use retour_app::auth::NewAccount;
use retour_app::testing::TestApp;
use retour_app::{Actor, App, Role};
use retour_web::{AppState, Server};
use std::net::SocketAddr;

pub const PASSWORD: &str = "correct horse battery staple";

pub struct TestServer {
    pub db: TestApp,
    pub app: App,
    pub addr: SocketAddr,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    handle: Option<tokio::task::JoinHandle<()>>,
}

impl TestServer {
    pub async fn start() -> TestServer {
        TestServer::start_over(TestApp::new().await, |app| app).await
    }

    /// A server that asks the roles of `retour_app::mfa::DEFAULT_MFA_ROLES` for a second factor,
    /// as a deployment does unless configured otherwise.
    pub async fn start_with_default_mfa() -> TestServer {
        TestServer::start_over(TestApp::new().await, |app| {
            app.with_mfa_roles(retour_app::mfa::DEFAULT_MFA_ROLES.to_vec())
        })
        .await
    }

    async fn start_over(db: TestApp, setup: impl FnOnce(App) -> App) -> TestServer {
        let app = setup(db.app.clone());
        let server = Server::bind(
            AppState {
                app: app.clone(),
                secure_cookies: false,
            },
            "127.0.0.1:0",
        )
        .await
        .expect("bind");
        let addr = server.addr;
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let handle = tokio::spawn(async move {
            server
                .run(async {
                    let _ = rx.await;
                })
                .await
                .expect("server runs");
        });
        TestServer {
            db,
            app,
            addr,
            shutdown: Some(tx),
            handle: Some(handle),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    pub async fn account(
        &self,
        email: &str,
        role: Role,
        office: Option<&str>,
        partner: Option<&str>,
    ) -> Actor {
        let u = self
            .app
            .create_account(
                None,
                NewAccount {
                    email: email.into(),
                    display_name: format!("Test {email}"),
                    role: role.as_str().into(),
                    office: office.map(Into::into),
                    partner_org: partner.map(Into::into),
                    locale: "en".into(),
                    password: PASSWORD.into(),
                },
            )
            .await
            .expect("account");
        u.actor()
    }

    /// A browser-like client (cookies kept, redirects not followed) signed in as `email`.
    pub async fn sign_in(&self, email: &str) -> Client {
        let client = Client::new(self);
        let page = client.get("/login").await;
        let csrf = csrf_of(&page.text().await.unwrap());
        let res = client
            .post_form(
                "/login",
                &[("email", email), ("password", PASSWORD), ("_csrf", &csrf)],
            )
            .await;
        assert_eq!(res.status(), 303, "sign-in of {email}");
        let home = client.get("/home").await.text().await.unwrap();
        Client {
            csrf: csrf_of(&home),
            ..client
        }
    }

    pub async fn stop(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(h) = self.handle.take() {
            let _ = h.await;
        }
        self.db.finish().await;
    }
}

pub fn csrf_of(html: &str) -> String {
    let marker = "name=\"_csrf\" value=\"";
    let start = html
        .find(marker)
        .map(|i| i + marker.len())
        .expect("a form with a CSRF token");
    html[start..start + 64].to_string()
}

pub struct Client {
    pub http: reqwest::Client,
    pub base: String,
    pub csrf: String,
}

impl Client {
    pub fn new(server: &TestServer) -> Client {
        let http = reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        Client {
            http,
            base: server.url(""),
            csrf: String::new(),
        }
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.http
            .get(format!("{}{}", self.base, path))
            .send()
            .await
            .unwrap()
    }

    pub async fn post_form(&self, path: &str, form: &[(&str, &str)]) -> reqwest::Response {
        self.http
            .post(format!("{}{}", self.base, path))
            .form(form)
            .send()
            .await
            .unwrap()
    }

    /// Posts a form with this session's CSRF token added.
    pub async fn post(&self, path: &str, form: &[(&str, &str)]) -> reqwest::Response {
        let mut f: Vec<(&str, &str)> = form.to_vec();
        f.push(("_csrf", &self.csrf));
        self.post_form(path, &f).await
    }
}

/// Signs in with `password` in a new client: the status of the sign-in post, and the client
/// (with its CSRF token when signed in).
pub async fn sign_in_with(s: &TestServer, email: &str, password: &str) -> (u16, Client) {
    let client = Client::new(s);
    let page = client.get("/login").await.text().await.unwrap();
    let csrf = csrf_of(&page);
    let status = client
        .post_form(
            "/login",
            &[("email", email), ("password", password), ("_csrf", &csrf)],
        )
        .await
        .status()
        .as_u16();
    if status != 303 {
        return (status, client);
    }
    let home = client.get("/home").await.text().await.unwrap();
    (
        status,
        Client {
            csrf: csrf_of(&home),
            ..client
        },
    )
}
