//! Retour's domain: pure rules with no I/O, so they can be tested exhaustively.

#[macro_use]
mod macros;
pub mod children;
pub mod country;
pub mod currency;
pub mod dates;
pub mod error;
pub mod household;
pub mod instrument;
pub mod lifecycle;
pub mod money;
pub mod monitoring;
pub mod names;
pub mod person;
pub mod plan;
pub mod policy;
pub mod quote;
pub mod revision;
pub mod text;

pub use country::CountryCode;
pub use dates::{age_on, is_adult_on, parse_date, BirthDate, DatePrecision};
pub use error::{Arg, Invalid, ValidationError, ValidationErrors};
pub use household::{
    Case, CaseReference, Household, HouseholdInput, Member, MemberInput, ReferenceQuery,
};
pub use lifecycle::{DepartureBooking, MoveContext, Status, TransitionInput, TransitionRequest};
pub use money::NumberStyle;
pub use person::{Person, PersonInput, Relationship, Sex};

openapi_enum!(
    lifecycle::Status,
    lifecycle::Transport,
    lifecycle::TravelDocumentStatus,
    household::LocationKind,
    person::Sex,
    person::Relationship,
    plan::Category,
    plan::EmploymentKind,
    plan::PlanStatus,
    plan::ConsentPurpose,
    plan::TaskKind,
    monitoring::Outcome,
    monitoring::VisitMode,
    monitoring::FollowUpState,
    instrument::Band,
);
