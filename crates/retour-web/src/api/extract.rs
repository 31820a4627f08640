//! What every API handler starts from: the caller (bearer token), the language, a JSON body
//! whose rejection is a problem document, and path ids.

use axum::extract::{FromRequest, FromRequestParts, Multipart, Query, Request};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, StatusCode};
use axum::Json;
use retour_app::{Actor, AppError};
use retour_i18n::Lang;
use serde::de::DeserializeOwned;
use uuid::Uuid;

use crate::error::ApiError;
use crate::AppState;

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
        let lang = request_lang(&parts.headers);
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

/// The language of an API request that has no caller yet: `Accept-Language`, else English.
pub fn request_lang(headers: &HeaderMap) -> Lang {
    headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .and_then(Lang::from_accept_language)
        .unwrap_or(Lang::En)
}

/// A request that could not be read, as a translated problem: 413 when the body is over the
/// limit, else 400 with what was wrong.
pub fn unreadable(status: StatusCode, detail: String, lang: Lang) -> ApiError {
    if status == StatusCode::PAYLOAD_TOO_LARGE {
        return ApiError::new(status, lang, "error-too-large", &[]);
    }
    ApiError {
        status: StatusCode::BAD_REQUEST,
        title: lang.t("error-bad-request"),
        detail: lang.t_args("error-bad-json", &[("detail", detail)]),
        errors: Vec::new(),
    }
}

/// A JSON body whose rejection is a translated problem document, not plain text.
pub struct JsonBody<T>(pub T);

impl<T: DeserializeOwned + Send> FromRequest<AppState> for JsonBody<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let lang = request_lang(req.headers());
        match Json::<T>::from_request(req, state).await {
            Ok(Json(v)) => Ok(JsonBody(v)),
            Err(r) => Err(unreadable(r.status(), r.body_text(), lang)),
        }
    }
}

/// A JSON body that may be left out (then `T::default()`), e.g. the reason a plan is sent
/// back with, which other plan actions do not take.
pub struct OptionalJsonBody<T>(pub T);

impl<T: DeserializeOwned + Default + Send> FromRequest<AppState> for OptionalJsonBody<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let empty = req
            .headers()
            .get(header::CONTENT_LENGTH)
            .is_some_and(|v| v.as_bytes() == b"0")
            || !req.headers().contains_key(header::CONTENT_TYPE);
        if empty {
            return Ok(OptionalJsonBody(T::default()));
        }
        JsonBody::<T>::from_request(req, state)
            .await
            .map(|JsonBody(v)| OptionalJsonBody(v))
    }
}

/// Query parameters whose rejection is a problem document.
pub struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned + Send> FromRequestParts<AppState> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let lang = request_lang(&parts.headers);
        match Query::<T>::from_request_parts(parts, state).await {
            Ok(Query(v)) => Ok(ApiQuery(v)),
            Err(r) => Err(unreadable(r.status(), r.body_text(), lang)),
        }
    }
}

/// A `multipart/form-data` body whose rejection is a problem document.
pub struct ApiMultipart(pub Multipart);

impl FromRequest<AppState> for ApiMultipart {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, ApiError> {
        let lang = request_lang(req.headers());
        match Multipart::from_request(req, state).await {
            Ok(m) => Ok(ApiMultipart(m)),
            Err(r) => Err(unreadable(r.status(), r.body_text(), lang)),
        }
    }
}

/// A path id; anything that is not one is a plain not-found.
pub fn id(raw: &str, a: &ApiActor) -> Result<Uuid, ApiError> {
    Uuid::parse_str(raw).map_err(|_| ApiError::from_app(AppError::NotFound, a.lang))
}

/// Cents as the API writes amounts: a decimal string with a dot and two decimals.
pub fn cents(c: i64) -> String {
    retour_domain::plan::cents_str(c)
}

/// An amount in a JSON body: a string (`"1250.50"`) or a number (`1250.5`), taken from its exact
/// text and read by the one money parser, never through a float.
pub fn amount_text<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    use serde::de::Error;
    let raw: Box<serde_json::value::RawValue> = serde::Deserialize::deserialize(d)?;
    let text = raw.get();
    if text.starts_with('"') {
        serde_json::from_str::<String>(text).map_err(D::Error::custom)
    } else if text.starts_with(|c: char| c == '-' || c.is_ascii_digit()) {
        Ok(text.to_string())
    } else {
        Err(D::Error::custom("an amount is a string or a number"))
    }
}

/// The OpenAPI schema of an amount: a decimal with a dot, as a string or a number.
pub fn amount_schema() -> utoipa::openapi::schema::Schema {
    use utoipa::openapi::schema::{ObjectBuilder, OneOfBuilder, SchemaType, Type};
    OneOfBuilder::new()
        .item(
            ObjectBuilder::new()
                .schema_type(SchemaType::Type(Type::String))
                .pattern(Some(r"^-?[0-9]+(\.[0-9]+)?$"))
                .examples(["1250.50"]),
        )
        .item(ObjectBuilder::new().schema_type(SchemaType::Type(Type::Number)))
        .description(Some(
            "Euro with a decimal point and at most two decimals, as a string or a number",
        ))
        .into()
}
