//! Public pages, no sign-in: what the programme offers, a non-binding estimate for families, and
//! the workbook order form for organisations. Forms carry a double-submit CSRF cookie like the
//! sign-in form; the order form also has a honeypot field and a rate limit per client address.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Form;
use retour_app::crypto::new_secret;
use retour_app::public::{EstimateInput, MAX_ESTIMATE_CHILDREN};
use retour_app::workbook::OrderError;
use retour_app::AppError;
use retour_domain::children::{Edition, OrderInput};
use retour_domain::quote::Quote;
use rust_decimal::Decimal;
use std::net::SocketAddr;

use crate::ctx::{constant_time_eq, cookie, set_cookie, Ctx};
use crate::error::PageError;
use crate::layout::{FieldErrors, Layout};
use crate::AppState;

pub const PUBLIC_CSRF_COOKIE: &str = "retour_public";
/// The largest body a public form may post.
pub const MAX_PUBLIC_BODY: usize = 16 * 1024;

/// The network address of the client, as the connection reports it. Headers such as
/// `X-Forwarded-For` are not read: anyone can write them.
pub struct ClientAddr(pub String);

impl FromRequestParts<AppState> for ClientAddr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &AppState) -> Result<Self, Self::Rejection> {
        Ok(ClientAddr(
            parts
                .extensions
                .get::<axum::extract::ConnectInfo<SocketAddr>>()
                .map(|c| c.0.ip().to_string())
                .unwrap_or_else(|| "unknown".into()),
        ))
    }
}

/// The page's CSRF token: the visitor's cookie when it has one, else a new one to set.
fn token(headers: &HeaderMap) -> (String, bool) {
    match cookie(headers, PUBLIC_CSRF_COOKIE).filter(|t| t.len() == 64) {
        Some(t) => (t, false),
        None => (new_secret(), true),
    }
}

fn with_token(state: &AppState, headers: &HeaderMap, l: &mut Layout) -> Option<String> {
    let (t, fresh) = token(headers);
    l.csrf = t.clone();
    fresh.then(|| set_cookie(state, PUBLIC_CSRF_COOKIE, &t, Some(24 * 3600)))
}

fn respond(status: StatusCode, set: Option<String>, page: impl IntoResponse) -> Response {
    match set {
        Some(c) => (status, [(header::SET_COOKIE, c)], page).into_response(),
        None => (status, page).into_response(),
    }
}

fn check_csrf(headers: &HeaderMap, form: &str, lang: retour_i18n::Lang) -> Result<(), PageError> {
    let expected = cookie(headers, PUBLIC_CSRF_COOKIE).unwrap_or_default();
    if expected.is_empty() || !constant_time_eq(expected.as_bytes(), form.as_bytes()) {
        return Err(PageError::Csrf(lang));
    }
    Ok(())
}

fn public_layout(ctx: &Ctx) -> Layout {
    match &ctx.session {
        Some(s) => Layout::signed(ctx.lang, s),
        None => Layout::anonymous(ctx.lang),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "public_about.html")]
pub struct AboutPage {
    l: Layout,
}

pub async fn about(ctx: Ctx) -> AboutPage {
    AboutPage {
        l: public_layout(&ctx),
    }
}

// ---------------------------------------------------------------------------------------------
// Estimate

#[derive(Template, WebTemplate)]
#[template(path = "public_estimate.html")]
pub struct EstimatePage {
    l: Layout,
    input: EstimateInput,
    /// Always `MAX_ESTIMATE_CHILDREN` entries, for the form's rows.
    children: Vec<String>,
    errors: FieldErrors,
    quote: Option<Quote>,
}

impl EstimatePage {
    fn eur(&self, d: &Decimal) -> String {
        self.l.lang.eur(*d)
    }
    fn rule(&self, rule: &str) -> String {
        self.l.t(&format!("rule-{}", rule.replace('.', "-")))
    }
    fn member(&self, id: &str) -> String {
        match id.split_once('-') {
            Some(("adult", n)) => self.l.ta("estimate-adult", "count", n),
            Some(("child", n)) => self.l.ta("estimate-child", "count", n),
            _ => id.to_string(),
        }
    }
    fn err(&self, field: &str) -> Option<&String> {
        self.errors.get(field)
    }
    /// The partner's service fee is not the family's money: the public estimate leaves it out.
    fn shown(&self, line: &retour_domain::quote::QuoteLine) -> bool {
        line.component != retour_domain::quote::Component::PartnerFee
    }
    fn child_error(&self, i: &usize) -> Option<&String> {
        self.errors.get(&format!("child_{i}"))
    }
    fn in_kind(&self, q: &Quote) -> String {
        self.l
            .lang
            .eur(q.totals.reintegration_in_kind + q.totals.vulnerability_in_kind)
    }
    fn total(&self, q: &Quote) -> String {
        let t = &q.totals;
        self.l.lang.eur(
            t.departure_premium_cash
                + t.reintegration_in_kind
                + t.vulnerability_in_kind
                + t.medical_in_kind,
        )
    }
}

fn estimate_page(
    l: Layout,
    input: EstimateInput,
    errors: FieldErrors,
    quote: Option<Quote>,
) -> EstimatePage {
    let mut children = input.children.clone();
    children.resize(MAX_ESTIMATE_CHILDREN, String::new());
    EstimatePage {
        l,
        input,
        children,
        errors,
        quote,
    }
}

pub async fn estimate_form(
    State(state): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
) -> Response {
    let mut l = public_layout(&ctx);
    let set = with_token(&state, &headers, &mut l);
    let input = EstimateInput {
        adults: "2".into(),
        ..Default::default()
    };
    respond(
        StatusCode::OK,
        set,
        estimate_page(l, input, FieldErrors::default(), None),
    )
}

fn field(pairs: &[(String, String)], name: &str) -> String {
    pairs
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.clone())
        .unwrap_or_default()
}

pub async fn estimate(
    State(state): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    check_csrf(&headers, &field(&pairs, "_csrf"), ctx.lang)?;
    let mut l = public_layout(&ctx);
    let set = with_token(&state, &headers, &mut l);
    let input = EstimateInput {
        destination: field(&pairs, "destination"),
        planned_departure_date: field(&pairs, "planned_departure_date"),
        adults: field(&pairs, "adults"),
        children: (0..MAX_ESTIMATE_CHILDREN)
            .map(|i| field(&pairs, &format!("child_{i}")))
            .collect(),
    };
    match state.app.public_estimate(&input).await {
        Ok(e) => Ok(respond(
            StatusCode::OK,
            set,
            estimate_page(l, input, FieldErrors::default(), Some(e.quote)),
        )),
        Err(AppError::Invalid(errs)) => {
            let errors = FieldErrors::from_validation(&errs, ctx.lang);
            Ok(respond(
                StatusCode::UNPROCESSABLE_ENTITY,
                set,
                estimate_page(l, input, errors, None),
            ))
        }
        Err(e) => Err(PageError::app(e, ctx.lang)),
    }
}

// ---------------------------------------------------------------------------------------------
// Workbook order

#[derive(Template, WebTemplate)]
#[template(path = "public_order.html")]
pub struct OrderPage {
    l: Layout,
    input: OrderInput,
    errors: FieldErrors,
    editions: &'static [Edition],
}

impl OrderPage {
    fn err(&self, field: &str) -> Option<&String> {
        self.errors.get(field)
    }
    fn quantity_error(&self, e: &Edition) -> Option<&String> {
        self.errors.get(&format!("quantity_{e}"))
    }
    fn quantity(&self, e: &Edition) -> &str {
        self.input.quantity(*e)
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "public_order_done.html")]
pub struct OrderDonePage {
    l: Layout,
    number: String,
    lines: Vec<(Edition, i64)>,
    email: String,
}

fn order_page(l: Layout, input: OrderInput, errors: FieldErrors) -> OrderPage {
    OrderPage {
        l,
        input,
        errors,
        editions: Edition::ALL,
    }
}

pub async fn order_form(State(state): State<AppState>, ctx: Ctx, headers: HeaderMap) -> Response {
    let mut l = public_layout(&ctx);
    let set = with_token(&state, &headers, &mut l);
    respond(
        StatusCode::OK,
        set,
        order_page(l, OrderInput::default(), FieldErrors::default()),
    )
}

pub async fn order(
    State(state): State<AppState>,
    ctx: Ctx,
    ClientAddr(client): ClientAddr,
    headers: HeaderMap,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    check_csrf(&headers, &field(&pairs, "_csrf"), ctx.lang)?;
    let mut l = public_layout(&ctx);
    let set = with_token(&state, &headers, &mut l);
    let input = OrderInput {
        organisation: field(&pairs, "organisation"),
        contact_name: field(&pairs, "contact_name"),
        email: field(&pairs, "email"),
        address: field(&pairs, "address"),
        quantity_nl: field(&pairs, "quantity_nl"),
        quantity_fr: field(&pairs, "quantity_fr"),
        quantity_en: field(&pairs, "quantity_en"),
    };
    let honeypot = field(&pairs, "website");
    match state.app.order_workbooks(&client, &input, &honeypot).await {
        Ok(row) => {
            let lines = input.parse().map(|o| o.lines).unwrap_or_default();
            Ok(respond(
                StatusCode::OK,
                set,
                OrderDonePage {
                    l,
                    number: row.number,
                    lines,
                    email: row.email,
                },
            ))
        }
        Err(OrderError::App(AppError::Invalid(errs))) => {
            let errors = FieldErrors::from_validation(&errs, ctx.lang);
            Ok(respond(
                StatusCode::UNPROCESSABLE_ENTITY,
                set,
                order_page(l, input, errors),
            ))
        }
        Err(OrderError::Throttled) => {
            let mut errors = FieldErrors::default();
            errors.general.push(ctx.lang.t("order-throttled"));
            Ok(respond(
                StatusCode::TOO_MANY_REQUESTS,
                set,
                order_page(l, input, errors),
            ))
        }
        Err(OrderError::Refused) => {
            let mut errors = FieldErrors::default();
            errors.general.push(ctx.lang.t("order-refused"));
            Ok(respond(
                StatusCode::BAD_REQUEST,
                set,
                order_page(l, OrderInput::default(), errors),
            ))
        }
        Err(OrderError::App(e)) => Err(PageError::app(e, ctx.lang)),
    }
}
