//! Retour on the web: server-rendered pages for staff, the JSON API for other systems, sign-in.
//! Handlers are thin: they parse, call one use case of `retour-app`, and render.

mod api;
mod assets;
mod ctx;
mod error;
mod forms;
mod layout;
mod pages;

use axum::http::{header, HeaderValue};
use axum::Router;
use retour_app::App;
use std::net::SocketAddr;
use tower_http::set_header::SetResponseHeaderLayer;

pub use api::openapi_json;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub app: App,
    /// Mark cookies `Secure` (when served over TLS, directly or behind a proxy).
    pub secure_cookies: bool,
}

/// Content-Security-Policy: no inline script or style, nothing from elsewhere, never framed.
const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
    form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

pub fn router(state: AppState) -> Router {
    let api = api::router();
    Router::new()
        .merge(pages::router())
        .merge(assets::router())
        .nest("/api/v1", api)
        .merge(api::docs_router())
        .with_state(state)
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CSP),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
}

/// A bound server: `addr` is known before it runs (port 0 picks a free port, as tests do).
pub struct Server {
    listener: tokio::net::TcpListener,
    router: Router,
    pub addr: SocketAddr,
}

impl Server {
    pub async fn bind(state: AppState, bind: &str) -> std::io::Result<Server> {
        let listener = tokio::net::TcpListener::bind(bind).await?;
        let addr = listener.local_addr()?;
        Ok(Server {
            listener,
            router: router(state),
            addr,
        })
    }

    /// Serves until `shutdown` completes, then finishes the requests under way.
    pub async fn run(
        self,
        shutdown: impl std::future::Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        // The connection's address is what the public order form rate-limits by.
        axum::serve(
            self.listener,
            self.router
                .into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(shutdown)
        .await
    }
}
