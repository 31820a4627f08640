//! The JSON API under `/api/v1`: the same use cases as the pages, for other systems.
//! Authenticated with personal tokens (`Authorization: Bearer …`); errors are
//! `application/problem+json`; the OpenAPI 3.1 document is generated from these handlers.

use axum::extract::{FromRequest, FromRequestParts, Path, Request, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Json, Router};
use retour_app::search::SearchInput;
use retour_app::{Actor, AppError};
use retour_domain::household::HouseholdInput;
use retour_domain::Case;
use retour_i18n::Lang;
use serde::{de::DeserializeOwned, Deserialize, Serialize};
use tower_http::set_header::SetResponseHeaderLayer;
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::{Modify, OpenApi, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use crate::error::ApiError;
use crate::pages::transition_request;
use crate::AppState;

#[derive(OpenApi)]
#[openapi(
    info(title = "Retour API", description = "Case management for assisted voluntary return and reintegration.", license(name = "AGPL-3.0-or-later")),
    modifiers(&BearerAuth),
    security(("bearer" = []))
)]
struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)),
        );
    }
}

fn api_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(create_case))
        .routes(routes!(get_case, update_case))
        .routes(routes!(list_members))
        .routes(routes!(list_transitions, create_transition))
        .routes(routes!(search))
        .routes(routes!(create_quote))
        .routes(routes!(crate::api_plans::get_plan))
        .routes(routes!(crate::api_plans::add_plan_line))
        .routes(routes!(crate::api_plans::plan_action))
        .routes(routes!(crate::api_plans::add_consent))
        .routes(routes!(crate::api_plans::assign_partner))
        .routes(routes!(crate::api_plans::confirm_arrival))
        .routes(routes!(
            crate::api_plans::list_spendings,
            crate::api_plans::add_spending
        ))
        .routes(routes!(crate::api_plans::get_document))
        .routes(routes!(crate::api_plans::list_tasks))
}

pub fn router() -> Router<AppState> {
    let (router, _) = api_router().split_for_parts();
    // Proof uploads are the largest bodies the API takes.
    let router = router.layer(axum::extract::DefaultBodyLimit::max(
        retour_app::files::MAX_UPLOAD_BYTES + 64 * 1024,
    ));
    // Built once at start-up; every request serves the same text.
    let json = openapi_json();
    router.route(
        "/openapi.json",
        axum::routing::get(
            move || async move { ([(header::CONTENT_TYPE, "application/json")], json) },
        ),
    )
}

fn openapi() -> utoipa::openapi::OpenApi {
    let (_, mut doc) = api_router().split_for_parts();
    doc.servers = Some(vec![utoipa::openapi::Server::new("/api/v1")]);
    doc
}

/// The OpenAPI document, as served at `/api/v1/openapi.json`.
pub fn openapi_json() -> String {
    openapi()
        .to_pretty_json()
        .expect("the OpenAPI document serialises")
}

/// The interactive reference at `/api/docs`, from vendored assets. Swagger UI needs inline styles.
pub fn docs_router() -> Router<AppState> {
    Router::new()
        .merge(utoipa_swagger_ui::SwaggerUi::new("/api/docs").url("/api/docs/openapi.json", openapi()))
        .layer(SetResponseHeaderLayer::overriding(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static("default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'"),
        ))
}

/// The caller of an API request, from their bearer token; the language from `Accept-Language`
/// or, failing that, their own setting.
pub struct ApiActor {
    pub actor: Actor,
    pub lang: Lang,
}

fn header_lang(parts: &Parts) -> Option<Lang> {
    parts
        .headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .and_then(Lang::from_accept_language)
}

impl FromRequestParts<AppState> for ApiActor {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let lang = header_lang(parts).unwrap_or(Lang::En);
        let token = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .filter(|t| !t.is_empty() && t.len() < 200);
        let Some(token) = token else {
            return Err(ApiError::from_app(AppError::Unauthenticated, lang));
        };
        match state.app.actor_for_token(token).await {
            Ok(Some((user, actor))) => Ok(ApiActor {
                actor,
                lang: header_lang(parts)
                    .or_else(|| Lang::parse(&user.locale))
                    .unwrap_or(Lang::En),
            }),
            Ok(None) => Err(ApiError::from_app(AppError::Unauthenticated, lang)),
            Err(e) => Err(ApiError::from_app(e, lang)),
        }
    }
}

/// A JSON body whose rejection is a translated problem document, not plain text.
pub struct JsonBody<T>(pub T);

impl<T: DeserializeOwned + Send> FromRequest<AppState> for JsonBody<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let lang = req
            .headers()
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
            .and_then(Lang::from_accept_language)
            .unwrap_or(Lang::En);
        match Json::<T>::from_request(req, state).await {
            Ok(Json(v)) => Ok(JsonBody(v)),
            Err(rejection) => Err(ApiError::new(
                StatusCode::BAD_REQUEST,
                lang,
                "error-bad-json",
                &[("detail", rejection.body_text())],
            )),
        }
    }
}

fn id(raw: &str, lang: Lang) -> Result<Uuid, ApiError> {
    Uuid::parse_str(raw).map_err(|_| ApiError::from_app(AppError::NotFound, lang))
}

#[derive(Serialize, ToSchema)]
pub struct DocumentDto {
    kind: String,
    number: String,
    issuing_country: String,
    expires_on: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct MemberDto {
    id: Uuid,
    relationship: String,
    family_name: String,
    given_names: String,
    other_names: Vec<String>,
    /// `YYYY-MM-DD`, `YYYY-MM` or `YYYY`, as precisely as known.
    birth_date: String,
    sex: String,
    nationalities: Vec<String>,
    languages: Vec<String>,
    documents: Vec<DocumentDto>,
}

#[derive(Serialize, ToSchema)]
pub struct AsylumDto {
    lodged_on: String,
    decided_on: Option<String>,
    outcome: String,
}

#[derive(Serialize, ToSchema)]
pub struct DepartureDto {
    date: String,
    transport: String,
    travel_document: String,
}

#[derive(Serialize, ToSchema)]
pub struct NoteDto {
    id: Uuid,
    at: String,
    sensitivity: String,
    /// Absent when withheld from this caller.
    body: Option<String>,
    withheld: bool,
}

#[derive(Serialize, ToSchema)]
pub struct CaseDto {
    id: Uuid,
    reference: String,
    status: String,
    /// Send it back with a change: a stale version is refused with 409.
    version: i64,
    destination_country: String,
    destination_place: String,
    location_kind: String,
    location_name: String,
    office: String,
    application_date: Option<String>,
    planned_departure_date: Option<String>,
    departure: Option<DepartureDto>,
    asylum_history: Vec<AsylumDto>,
    members: Vec<MemberDto>,
    /// Lifecycle moves this caller may make now.
    allowed_transitions: Vec<String>,
    notes: Vec<NoteDto>,
}

fn date(d: time::Date) -> String {
    retour_domain::dates::format_date(d)
}

fn members_dto(case: &Case) -> Vec<MemberDto> {
    case.household
        .members
        .iter()
        .map(|m| MemberDto {
            id: m.person.id,
            relationship: m.relationship.as_str().into(),
            family_name: m.person.family_name.clone(),
            given_names: m.person.given_names.clone(),
            other_names: m.person.other_names.clone(),
            birth_date: m.person.birth_date.to_string(),
            sex: m.person.sex.as_str().into(),
            nationalities: m
                .person
                .nationalities
                .iter()
                .map(|c| c.to_string())
                .collect(),
            languages: m.person.languages.clone(),
            documents: m
                .person
                .documents
                .iter()
                .map(|d| DocumentDto {
                    kind: d.kind.as_str().into(),
                    number: d.number.clone(),
                    issuing_country: d.issuing_country.to_string(),
                    expires_on: d.expires_on.map(date),
                })
                .collect(),
        })
        .collect()
}

fn case_dto(v: retour_app::cases::CaseView) -> CaseDto {
    let c = &v.case;
    let h = &c.household;
    CaseDto {
        id: c.id,
        reference: c.reference.to_string(),
        status: c.status.as_str().into(),
        version: c.version,
        destination_country: h.destination_country.to_string(),
        destination_place: h.destination_place.clone(),
        location_kind: h.location_kind.as_str().into(),
        location_name: h.location_name.clone(),
        office: h.office.clone(),
        application_date: h.application_date.map(date),
        planned_departure_date: h.planned_departure_date.map(date),
        departure: c.departure.as_ref().map(|d| DepartureDto {
            date: date(d.date),
            transport: d.transport.as_str().into(),
            travel_document: d.travel_document.as_str().into(),
        }),
        asylum_history: h
            .asylum_history
            .iter()
            .map(|a| AsylumDto {
                lodged_on: date(a.lodged_on),
                decided_on: a.decided_on.map(date),
                outcome: a.outcome.as_str().into(),
            })
            .collect(),
        members: members_dto(c),
        allowed_transitions: v
            .allowed_transitions
            .iter()
            .map(|s| s.as_str().to_string())
            .collect(),
        notes: v
            .notes
            .into_iter()
            .map(|n| NoteDto {
                id: n.id,
                at: n
                    .at
                    .format(&time::format_description::well_known::Rfc3339)
                    .unwrap_or_default(),
                sensitivity: n.sensitivity.as_str().into(),
                withheld: n.body.is_none(),
                body: n.body,
            })
            .collect(),
    }
}

async fn view(state: &AppState, a: &ApiActor, id: Uuid) -> Result<CaseDto, ApiError> {
    state
        .app
        .case_view(&a.actor, id)
        .await
        .map(case_dto)
        .map_err(|e| ApiError::from_app(e, a.lang))
}

/// Register a household as a new case (counsellors, for their own office).
#[utoipa::path(post, path = "/cases", tag = "cases", request_body = HouseholdInput,
    responses((status = 201, body = CaseDto), (status = 422, description = "invalid input, with every problem listed"), (status = 403)))]
async fn create_case(
    State(state): State<AppState>,
    a: ApiActor,
    JsonBody(input): JsonBody<HouseholdInput>,
) -> Result<Response, ApiError> {
    let case = state
        .app
        .register_case(&a.actor, &input)
        .await
        .map_err(|e| ApiError::from_app(e, a.lang))?;
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, format!("/api/v1/cases/{}", case.id))],
        Json(view(&state, &a, case.id).await?),
    )
        .into_response())
}

/// A case, with what this caller may not see marked as withheld.
#[utoipa::path(get, path = "/cases/{id}", tag = "cases", params(("id" = Uuid, Path)),
    responses((status = 200, body = CaseDto), (status = 404, description = "unknown, or outside the caller's scope")))]
async fn get_case(
    State(state): State<AppState>,
    a: ApiActor,
    Path(raw): Path<String>,
) -> Result<Json<CaseDto>, ApiError> {
    Ok(Json(view(&state, &a, id(&raw, a.lang)?).await?))
}

#[derive(Deserialize, ToSchema)]
pub struct UpdateCaseBody {
    /// The version the change is based on.
    version: i64,
    household: HouseholdInput,
}

/// Replace the household facts and members of a case.
#[utoipa::path(put, path = "/cases/{id}", tag = "cases", params(("id" = Uuid, Path)), request_body = UpdateCaseBody,
    responses((status = 200, body = CaseDto), (status = 409, description = "changed by someone else since `version`"), (status = 422)))]
async fn update_case(
    State(state): State<AppState>,
    a: ApiActor,
    Path(raw): Path<String>,
    JsonBody(body): JsonBody<UpdateCaseBody>,
) -> Result<Json<CaseDto>, ApiError> {
    let id = id(&raw, a.lang)?;
    state
        .app
        .update_household(&a.actor, id, body.version, &body.household)
        .await
        .map_err(|e| ApiError::from_app(e, a.lang))?;
    Ok(Json(view(&state, &a, id).await?))
}

/// The members of a case.
#[utoipa::path(get, path = "/cases/{id}/members", tag = "cases", params(("id" = Uuid, Path)), responses((status = 200, body = Vec<MemberDto>)))]
async fn list_members(
    State(state): State<AppState>,
    a: ApiActor,
    Path(raw): Path<String>,
) -> Result<Json<Vec<MemberDto>>, ApiError> {
    let case = state
        .app
        .case(&a.actor, id(&raw, a.lang)?)
        .await
        .map_err(|e| ApiError::from_app(e, a.lang))?;
    Ok(Json(members_dto(&case)))
}

#[derive(Serialize, ToSchema)]
pub struct TransitionDto {
    from: Option<String>,
    to: String,
    actor_id: Uuid,
    at: String,
    reason: String,
    departure_date: Option<String>,
}

/// The lifecycle history of a case, oldest first.
#[utoipa::path(get, path = "/cases/{id}/transitions", tag = "cases", params(("id" = Uuid, Path)), responses((status = 200, body = Vec<TransitionDto>)))]
async fn list_transitions(
    State(state): State<AppState>,
    a: ApiActor,
    Path(raw): Path<String>,
) -> Result<Json<Vec<TransitionDto>>, ApiError> {
    let v = state
        .app
        .case_view(&a.actor, id(&raw, a.lang)?)
        .await
        .map_err(|e| ApiError::from_app(e, a.lang))?;
    Ok(Json(
        v.history
            .into_iter()
            .map(|t| TransitionDto {
                from: t.from.map(|s| s.as_str().into()),
                to: t.to.as_str().into(),
                actor_id: t.actor_id,
                at: t
                    .at
                    .format(&time::format_description::well_known::Rfc3339)
                    .unwrap_or_default(),
                reason: t.reason,
                departure_date: t.departure_date.map(date),
            })
            .collect(),
    ))
}

#[derive(Deserialize, ToSchema)]
pub struct BookingBody {
    date: String,
    /// plane, bus, train or car
    transport: String,
    /// valid, requested, issued or missing
    travel_document: String,
}

#[derive(Deserialize, ToSchema)]
pub struct TransitionBody {
    to: String,
    reason: String,
    version: i64,
    /// Required when `to` is `departure_booked`.
    booking: Option<BookingBody>,
}

/// Move a case through its lifecycle.
#[utoipa::path(post, path = "/cases/{id}/transitions", tag = "cases", params(("id" = Uuid, Path)), request_body = TransitionBody,
    responses((status = 200, body = CaseDto), (status = 409), (status = 422, description = "not allowed from the current status, or bad booking")))]
async fn create_transition(
    State(state): State<AppState>,
    a: ApiActor,
    Path(raw): Path<String>,
    JsonBody(b): JsonBody<TransitionBody>,
) -> Result<Json<CaseDto>, ApiError> {
    let id = id(&raw, a.lang)?;
    let (d, t, doc) = b
        .booking
        .as_ref()
        .map(|x| {
            (
                x.date.as_str(),
                x.transport.as_str(),
                x.travel_document.as_str(),
            )
        })
        .unwrap_or(("", "", ""));
    let req = transition_request(&b.to, &b.reason, d, t, doc)
        .map_err(|e| ApiError::from_app(AppError::Invalid(e), a.lang))?;
    state
        .app
        .transition(&a.actor, id, b.version, &req)
        .await
        .map_err(|e| ApiError::from_app(e, a.lang))?;
    Ok(Json(view(&state, &a, id).await?))
}

#[derive(Deserialize, ToSchema)]
pub struct SearchBody {
    /// A case reference, or a name in any spelling.
    q: String,
    birth_year: Option<String>,
    nationality: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct SearchHitDto {
    case_id: Uuid,
    reference: String,
    status: String,
    destination_country: String,
    family_name: String,
    given_names: String,
    relationship: String,
    birth: String,
}

#[derive(Serialize, ToSchema)]
pub struct SearchResultDto {
    hits: Vec<SearchHitDto>,
    /// More matched than were returned (at most 50): refine the search.
    truncated: bool,
}

/// Find cases by reference or name (any spelling), within the caller's scope. Terms travel in the body, never the URL.
#[utoipa::path(post, path = "/search", tag = "search", request_body = SearchBody, responses((status = 200, body = SearchResultDto), (status = 422)))]
async fn search(
    State(state): State<AppState>,
    a: ApiActor,
    JsonBody(b): JsonBody<SearchBody>,
) -> Result<Json<SearchResultDto>, ApiError> {
    let r = state
        .app
        .search(
            &a.actor,
            &SearchInput {
                q: b.q,
                birth_year: b.birth_year,
                nationality: b.nationality,
            },
        )
        .await
        .map_err(|e| ApiError::from_app(e, a.lang))?;
    Ok(Json(SearchResultDto {
        truncated: r.truncated,
        hits: r
            .hits
            .into_iter()
            .map(|h| SearchHitDto {
                case_id: h.case_id,
                reference: h.reference,
                status: h.status,
                destination_country: h.destination_country,
                family_name: h.family_name,
                given_names: h.given_names,
                relationship: h.relationship,
                birth: h.birth,
            })
            .collect(),
    }))
}

/// A non-binding quote: what the household could receive under the policy in force on its
/// application date, every amount with the rule that produced it. Stores nothing.
/// The body and the answer follow the contract in `docs/policy.md` (the same as `retour quote`).
#[utoipa::path(post, path = "/quotes", tag = "quotes", request_body(content = Object, description = "household: application_date, planned_departure_date, destination, members"),
    responses((status = 200, body = Object, description = "the quote"), (status = 422, description = "invalid household, every problem listed")))]
async fn create_quote(
    State(state): State<AppState>,
    a: ApiActor,
    JsonBody(input): JsonBody<retour_domain::quote::QuoteInput>,
) -> Result<Json<retour_domain::quote::Quote>, ApiError> {
    Ok(Json(
        state
            .app
            .quote(&a.actor, &input)
            .await
            .map_err(|e| ApiError::from_app(e, a.lang))?,
    ))
}
