//! One storage API over SQLite (the embedded default) and PostgreSQL.
//!
//! Every query is written once in portable SQL (`$1` placeholders, `RETURNING`, `ON CONFLICT`)
//! and compiled for both backends by [`on_db!`], so the two can never drift apart in behaviour.
//! Statement count is the cost on these machines: pages read with joins, bulk writes use
//! multi-row `INSERT`s.

mod audit;
pub mod audit_chain;
mod break_glass;
mod bulk;
mod cases;
mod children;
mod corrections;
mod db;
mod delivery;
mod entitlement_reviews;
mod entitlements;
mod error;
mod fast_read;
mod links;
mod mfa;
mod monitoring;
mod name_index;
mod offices;
mod partners;
mod plans;
mod policies;
pub mod query_plan;
mod queues;
mod retention;
mod rows;
mod script;
pub mod sealed;
mod search;
mod sessions;
mod sharing;
mod sqlite_writer;
mod tasks;
pub mod testing;
mod users;
mod workbook;
mod writer;

pub use audit::{Audit, AuditEntryRow, AuditQuery, AuditRecord, AuditVerification};
pub use break_glass::{GlassEntryRow, GlassRow, BREAK_GLASS_TASK};
pub use bulk::{NameKeys, NewBulkCase};
pub use cases::{Arrival, NewCase, NoteRecord, TransitionEffect, TransitionRecord};
pub use children::{
    BestInterestsRow, ChildRecords, GuardianRow, HandoutRow, ReceptionCheckRow, WorkbookConsentRow,
};
pub use corrections::{Change, CorrectionEntry, CorrectionRow};
pub use db::{redact, with_database, Backend, SampledPerson, Store};
pub use delivery::{
    AppointmentRow, ChecklistRow, DocumentRow, FinalReportRow, ProofAccess, SpendingRow,
};
pub use entitlement_reviews::{
    Proposal, ReviewDecision, ReviewEntry, ReviewRow, ReviewSync, REVIEW_TASK,
};
pub use entitlements::{
    CaseFacts, MedicalNeedRow, MemberFacts, PremiumPayment, SnapshotRow, VulnerabilityRow,
};
pub use error::StoreError;
pub use links::{LinkRow, NewLink};
pub use mfa::MfaRow;
pub use monitoring::{
    ExportSurveyRow, FollowUpRow, MonitoredCase, ScoreHistoryRow, StoredInstrument, SurveyRow,
};
pub use name_index::NAME_KEYS_VERSION;
pub use offices::OfficeRow;
pub use partners::PartnerOrgRow;
pub use plans::{Approval, BudgetMove, LineValues, PlanLineRow, PlanMove, PlanRow, PlanVersionRow};
pub use policies::StoredPolicy;
pub use queues::QueueRow;
pub use retention::{Erasure, PersonForErasure, Pseudonym, PseudonymHit};
pub use sealed::{Reseal, RowKey, Sealed, SealedValue};
pub use search::{
    Assignee, Candidates, CaseSummary, KeyGroup, KeySearch, PageKey, PersonHit, Scope,
    MAX_CANDIDATES,
};
pub use sessions::{ApiTokenRecord, SessionRecord};
pub use sharing::ConsentRow;
pub use tasks::{ExpiringLine, TaskListRow, TaskRow};
pub use users::{NewUser, User, UserChange};
pub use workbook::{OrderLineRow, OrderRow, StockChange, StockRow, CENTRAL_STOCK};

pub type StoreResult<T> = Result<T, StoreError>;
