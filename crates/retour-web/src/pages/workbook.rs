//! Staff pages of the workbook: the queue of organisations' orders (ship or reject) and the stock.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Form;
use retour_app::views::StockLevel;
use retour_app::workbook::{OrdersPage, ORDER_STATUSES};
use retour_app::AppError;
use retour_domain::children::Edition;
use serde::Deserialize;

use crate::ctx::Signed;
use crate::error::PageError;
use crate::layout::{FieldErrors, Layout};
use crate::pages::parse_id;
use crate::AppState;

#[derive(Template, WebTemplate)]
#[template(path = "workbook_orders.html")]
pub struct OrdersTemplate {
    l: Layout,
    p: OrdersPage,
    statuses: [&'static str; 3],
    errors: FieldErrors,
}

#[derive(Deserialize)]
pub struct QueueQuery {
    #[serde(default)]
    status: String,
    after: Option<uuid::Uuid>,
}

async fn orders_page(
    state: &AppState,
    s: &Signed,
    status: &str,
    after: Option<uuid::Uuid>,
    errors: FieldErrors,
) -> Result<OrdersTemplate, PageError> {
    let p = state
        .app
        .workbook_orders(&s.session.actor, status, after)
        .await
        .map_err(|e| PageError::app(e, s.lang))?;
    Ok(OrdersTemplate {
        l: s.layout(),
        p,
        statuses: ORDER_STATUSES,
        errors,
    })
}

pub async fn orders(
    State(state): State<AppState>,
    s: Signed,
    Query(q): Query<QueueQuery>,
) -> Result<OrdersTemplate, PageError> {
    orders_page(&state, &s, &q.status, q.after, FieldErrors::default()).await
}

#[derive(Deserialize)]
pub struct DecisionForm {
    #[serde(default)]
    reason: String,
}

async fn decided(
    state: &AppState,
    s: &Signed,
    result: Result<(), AppError>,
) -> Result<Response, PageError> {
    match result {
        Ok(()) => Ok((
            StatusCode::SEE_OTHER,
            [(header::LOCATION, "/workbook/orders")],
        )
            .into_response()),
        Err(AppError::Invalid(errs)) => {
            let p = orders_page(
                state,
                s,
                "pending",
                None,
                FieldErrors::from_validation(&errs, s.lang),
            )
            .await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, p).into_response())
        }
        Err(AppError::Conflict { .. }) => {
            let mut errors = FieldErrors::default();
            errors.general.push(s.lang.t("order-already-decided"));
            let p = orders_page(state, s, "pending", None, errors).await?;
            Ok((StatusCode::CONFLICT, p).into_response())
        }
        Err(e) => Err(PageError::app(e, s.lang)),
    }
}

pub async fn ship(
    State(state): State<AppState>,
    s: Signed,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let id = parse_id(&id, s.lang)?;
    let r = state.app.ship_order(&s.session.actor, id).await;
    decided(&state, &s, r).await
}

pub async fn reject(
    State(state): State<AppState>,
    s: Signed,
    Path(id): Path<String>,
    Form(f): Form<DecisionForm>,
) -> Result<Response, PageError> {
    let id = parse_id(&id, s.lang)?;
    let r = state
        .app
        .reject_order(&s.session.actor, id, &f.reason)
        .await;
    decided(&state, &s, r).await
}

#[derive(Template, WebTemplate)]
#[template(path = "workbook_stock.html")]
pub struct StockTemplate {
    l: Layout,
    stock: Vec<StockLevel>,
    editions: &'static [Edition],
    errors: FieldErrors,
    location: String,
}

async fn stock_page(
    state: &AppState,
    s: &Signed,
    errors: FieldErrors,
    location: String,
) -> Result<StockTemplate, PageError> {
    let stock = state
        .app
        .workbook_stock(&s.session.actor)
        .await
        .map_err(|e| PageError::app(e, s.lang))?;
    Ok(StockTemplate {
        l: s.layout(),
        stock,
        editions: Edition::ALL,
        errors,
        location,
    })
}

pub async fn stock(State(state): State<AppState>, s: Signed) -> Result<StockTemplate, PageError> {
    stock_page(
        &state,
        &s,
        FieldErrors::default(),
        retour_app::workbook::CENTRAL_STOCK.into(),
    )
    .await
}

#[derive(Deserialize)]
pub struct StockForm {
    #[serde(default)]
    location: String,
    #[serde(default)]
    edition: String,
    #[serde(default)]
    mode: String,
    #[serde(default)]
    quantity: String,
}

pub async fn change_stock(
    State(state): State<AppState>,
    s: Signed,
    Form(f): Form<StockForm>,
) -> Result<Response, PageError> {
    match state
        .app
        .change_workbook_stock(
            &s.session.actor,
            &f.location,
            &f.edition,
            &f.mode,
            &f.quantity,
        )
        .await
    {
        Ok(_) => Ok((
            StatusCode::SEE_OTHER,
            [(header::LOCATION, "/workbook/stock")],
        )
            .into_response()),
        Err(AppError::Invalid(errs)) => {
            let p = stock_page(
                &state,
                &s,
                FieldErrors::from_validation(&errs, s.lang),
                f.location,
            )
            .await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, p).into_response())
        }
        Err(e) => Err(PageError::app(e, s.lang)),
    }
}
