//! What the use cases hand to pages, the API and the CLI: records of their own, never the
//! store's rows, so that the storage layout can change without the callers and nothing the
//! callers should not see (a password hash, a raw key) can reach them by accident.

/// A view struct with the listed fields of a store row, and its conversion from that row.
macro_rules! view {
    ($(#[$meta:meta])* pub struct $name:ident from $row:path {
        $($(#[$fmeta:meta])* pub $field:ident : $ty:ty),* $(,)?
    }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
        pub struct $name {
            $($(#[$fmeta])* pub $field: $ty),*
        }

        impl From<$row> for $name {
            fn from(r: $row) -> Self {
                $name { $($field: r.$field),* }
            }
        }
    };
}

use time::{Date, OffsetDateTime};
use uuid::Uuid;

view! {
    /// A case in a list (home, search): its reference, status and principal applicant.
    pub struct CaseListItem from retour_store::CaseSummary {
        pub id: Uuid,
        pub reference: String,
        pub status: String,
        pub destination_country: String,
        pub family_name: String,
        pub given_names: String,
    }
}

view! {
    /// One lifecycle move: who, when, why, and the booked departure when it booked one.
    pub struct HistoryEntry from retour_store::TransitionRecord {
        pub id: Uuid,
        pub from: Option<retour_domain::Status>,
        pub to: retour_domain::Status,
        pub actor_id: Uuid,
        pub at: OffsetDateTime,
        pub reason: String,
        pub departure_date: Option<Date>,
    }
}

view! {
    /// An open task on a case someone works on.
    pub struct TaskItem from retour_store::TaskListRow {
        pub id: Uuid,
        pub case_id: Uuid,
        pub reference: String,
        pub kind: String,
        pub subject_id: Uuid,
        pub due_on: Date,
        /// For a missed appointment: its kind, day and person.
        pub appointment_kind: Option<String>,
        pub appointment_on: Option<Date>,
        pub person: Option<String>,
        /// For a line about to expire: what it is for.
        pub line: Option<String>,
    }
}

view! {
    /// Workbooks in stock at one location, per language edition.
    pub struct StockLevel from retour_store::StockRow {
        pub location: String,
        pub edition: String,
        pub quantity: i64,
        pub updated_at: OffsetDateTime,
    }
}

view! {
    /// An uploaded proof of payment.
    pub struct Document from retour_store::DocumentRow {
        pub id: Uuid,
        pub case_id: Uuid,
        /// The name the file was uploaded with (checked; never used as a path).
        pub file_name: String,
        pub media_type: String,
        pub size_bytes: i64,
        pub sha256: String,
        pub uploaded_by: Uuid,
        pub uploaded_at: OffsetDateTime,
    }
}

view! {
    /// A plan version as it was approved, with its approvers and policy.
    pub struct ApprovedVersion from retour_store::PlanVersionRow {
        pub case_id: Uuid,
        pub version: i32,
        pub approved_at: OffsetDateTime,
        pub total_cents: i64,
        /// JSON of the lines as approved.
        pub lines: String,
        /// JSON array of approver ids.
        pub approvers: String,
        pub policy_id: String,
        pub policy_hash: String,
    }
}

view! {
    /// A payment against a plan line.
    pub struct Payment from retour_store::SpendingRow {
        pub id: Uuid,
        pub case_id: Uuid,
        pub line_id: Uuid,
        pub spent_on: Date,
        /// Exact decimal text in `currency`.
        pub amount: String,
        pub currency: String,
        /// Euro per unit of `currency` on `spent_on`, exact decimal text.
        pub rate: String,
        pub eur_cents: i64,
        pub vendor: String,
        pub document_id: Option<Uuid>,
        pub recorded_by: Uuid,
        pub recorded_at: OffsetDateTime,
    }
}

view! {
    /// The final report's totals and who submitted it.
    pub struct FinalReport from retour_store::FinalReportRow {
        pub case_id: Uuid,
        pub planned_cents: i64,
        pub spent_cents: i64,
        pub submitted_by: Uuid,
        pub submitted_at: OffsetDateTime,
        pub comment: String,
        /// What was still open and confirmed when it was submitted, or empty.
        pub open_items: String,
    }
}

view! {
    /// The departure premium as paid.
    pub struct PremiumPaid from retour_store::PremiumPayment {
        pub case_id: Uuid,
        pub amount_cents: i64,
        pub paid_on: Date,
        pub recorded_by: Uuid,
        pub recorded_at: OffsetDateTime,
    }
}

view! {
    /// An organisation's order of workbooks from the public form.
    pub struct WorkbookOrder from retour_store::OrderRow {
        pub id: Uuid,
        pub number: String,
        pub organisation: String,
        pub contact_name: String,
        pub email: String,
        pub address: String,
        /// `pending`, `shipped` or `rejected`.
        pub status: String,
        /// Why it was rejected (empty otherwise).
        pub reason: String,
        pub created_at: OffsetDateTime,
        pub decided_by: Option<Uuid>,
        pub decided_at: Option<OffsetDateTime>,
    }
}

view! {
    /// Copies of one edition in an order.
    pub struct WorkbookOrderLine from retour_store::OrderLineRow {
        pub order_id: Uuid,
        pub edition: String,
        pub quantity: i64,
    }
}

view! {
    /// A stored version of the programme's rules.
    pub struct PolicyVersion from retour_store::StoredPolicy {
        pub id: Uuid,
        pub policy_id: String,
        pub effective_from: Date,
        pub content_hash: String,
        pub source: String,
        pub loaded_at: OffsetDateTime,
        pub loaded_by: Option<Uuid>,
    }
}

/// Converts every row of a list into its view.
pub(crate) fn all<R, V: From<R>>(rows: Vec<R>) -> Vec<V> {
    rows.into_iter().map(V::from).collect()
}
