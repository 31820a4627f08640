//! What every operation of the API may answer besides its success, written into the OpenAPI
//! document once instead of on every handler: the refusals every request can meet (unreadable,
//! unauthenticated, forbidden, not found, refused input, busy), as `application/problem+json`
//! with one schema, and a description on every response.

use utoipa::openapi::path::Operation;
use utoipa::openapi::response::Response;
use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, SchemaType, Type};
use utoipa::openapi::{Content, OpenApi, RefOr, Schema};
use utoipa::Modify;

pub struct Contract;

/// An RFC 9457 problem, as `crate::error::ApiError` writes it.
fn problem_schema() -> Schema {
    let text = || ObjectBuilder::new().schema_type(SchemaType::Type(Type::String));
    let field = ObjectBuilder::new()
        .property(
            "field",
            ObjectBuilder::new().schema_type(SchemaType::from_iter([Type::String, Type::Null])),
        )
        .property("code", text())
        .property("message", text())
        .required("code")
        .required("message");
    ObjectBuilder::new()
        .property("type", text())
        .property("title", text())
        .property(
            "status",
            ObjectBuilder::new().schema_type(SchemaType::Type(Type::Integer)),
        )
        .property("detail", text())
        .property("errors", ArrayBuilder::new().items(field))
        .required("type")
        .required("title")
        .required("status")
        .required("detail")
        .description(Some("An error, in the caller's language (RFC 9457)."))
        .into()
}

/// What each refusal means, for the responses an operation did not describe itself.
fn refusal(status: u16) -> &'static str {
    match status {
        400 => "The request could not be read (malformed JSON, wrong types).",
        401 => "No valid bearer token.",
        403 => "The caller's role may not do this.",
        404 => "Unknown, or outside the caller's scope.",
        409 => "Someone else changed the record since the version given, or it exists already.",
        413 => "The body is larger than the API takes.",
        422 => "Refused input, with every problem listed.",
        503 => "The database was busy for longer than requests wait; nothing was saved.",
        _ => "See the problem document.",
    }
}

fn complete(op: &mut Operation, writes: bool) {
    let mut statuses = vec![400, 401, 403, 404, 422, 503];
    if writes {
        statuses.extend([409, 413]);
    }
    let problem = RefOr::Ref(utoipa::openapi::Ref::from_schema_name("Problem"));
    for status in statuses {
        op.responses
            .responses
            .entry(status.to_string())
            .or_insert_with(|| RefOr::T(Response::new(refusal(status))));
    }
    for (status, response) in op.responses.responses.iter_mut() {
        let RefOr::T(r) = response else { continue };
        let code: u16 = status.parse().unwrap_or(0);
        if r.description.is_empty() {
            r.description = match code {
                200 => "OK".into(),
                201 => "Created".into(),
                204 => "Done; nothing to return.".into(),
                c => refusal(c).into(),
            };
        }
        if code >= 400 {
            r.content.clear();
            r.content.insert(
                "application/problem+json".into(),
                RefOr::T(Content::new(Some(problem.clone()))),
            );
        }
    }
}

impl Modify for Contract {
    fn modify(&self, openapi: &mut OpenApi) {
        openapi
            .components
            .get_or_insert_with(Default::default)
            .schemas
            .insert("Problem".into(), RefOr::T(problem_schema()));
        for item in openapi.paths.paths.values_mut() {
            for (op, writes) in [
                (&mut item.get, false),
                (&mut item.post, true),
                (&mut item.put, true),
                (&mut item.delete, true),
            ] {
                if let Some(op) = op {
                    complete(op, writes);
                }
            }
        }
    }
}
