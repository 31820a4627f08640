//! Work queues: what waits for the actor, on their home page and as full lists, so nobody has to
//! be told a case reference to find their work.

use retour_domain::Status;
use time::Date;
use uuid::Uuid;

use crate::authz::{grant, Action, Grant};
use crate::{Actor, App, AppError, AppResult, Page};

/// A list of cases waiting for something.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueueKind {
    /// Cases of the actor's scope in one status (the status counts link here).
    Status(Status),
    /// Submitted plans the programme manager did not write and has not approved.
    PlansToApprove,
    /// Complex medical cases without priced needs.
    MedicalToPrice,
    /// Departed cases whose arrival is to be confirmed.
    ArrivalsToConfirm,
    /// Planned appointments of the partner's cases due within a week (or overdue).
    VisitsDue,
    /// Households that changed after their budget was approved: a review is open.
    EntitlementChanges,
}

impl QueueKind {
    pub fn slug(self) -> String {
        match self {
            QueueKind::Status(s) => format!("status-{s}"),
            QueueKind::PlansToApprove => "plans-to-approve".into(),
            QueueKind::MedicalToPrice => "medical-to-price".into(),
            QueueKind::ArrivalsToConfirm => "arrivals-to-confirm".into(),
            QueueKind::VisitsDue => "visits-due".into(),
            QueueKind::EntitlementChanges => "entitlement-changes".into(),
        }
    }

    pub fn parse(slug: &str) -> Option<QueueKind> {
        if let Some(s) = slug.strip_prefix("status-") {
            return s.parse().ok().map(QueueKind::Status);
        }
        Some(match slug {
            "plans-to-approve" => QueueKind::PlansToApprove,
            "medical-to-price" => QueueKind::MedicalToPrice,
            "arrivals-to-confirm" => QueueKind::ArrivalsToConfirm,
            "visits-due" => QueueKind::VisitsDue,
            "entitlement-changes" => QueueKind::EntitlementChanges,
            _ => return None,
        })
    }

    /// What the queue's work needs: who has it.
    fn action(self) -> Action {
        match self {
            QueueKind::Status(_) => Action::ReadCase,
            QueueKind::PlansToApprove => Action::ApprovePlan,
            QueueKind::MedicalToPrice => Action::RecordMedicalNeeds,
            QueueKind::ArrivalsToConfirm => Action::RecordArrival,
            QueueKind::VisitsDue => Action::RecordDelivery,
            QueueKind::EntitlementChanges => Action::ReviewEntitlementChange,
        }
    }
}

/// One case in a queue.
#[derive(Debug, Clone, serde::Serialize)]
pub struct QueueItem {
    pub case_id: Uuid,
    pub reference: String,
    pub status: String,
    pub destination_country: String,
    pub name: String,
    /// A plan's total, for plans waiting for approval.
    pub amount_cents: Option<i64>,
    /// The day a visit is due.
    pub due_on: Option<Date>,
}

/// A queue on the home page: its first items, and whether there are more.
#[derive(Debug, Clone, serde::Serialize)]
pub struct QueuePreview {
    #[serde(skip)]
    pub kind: QueueKind,
    pub slug: String,
    pub items: Vec<QueueItem>,
    pub more: bool,
}

/// How many items a queue shows on the home page.
const PREVIEW: usize = 5;

impl App {
    /// The queues of the actor's work, each with its first items.
    pub async fn my_queues(&self, actor: &Actor) -> AppResult<Vec<QueuePreview>> {
        let kinds = [
            QueueKind::PlansToApprove,
            QueueKind::EntitlementChanges,
            QueueKind::MedicalToPrice,
            QueueKind::ArrivalsToConfirm,
            QueueKind::VisitsDue,
        ]
        .into_iter()
        .filter(|k| grant(actor.role, k.action()) != Grant::Never)
        // Visits are the partner organisation's own.
        .filter(|k| *k != QueueKind::VisitsDue || actor.partner_org.is_some());
        let mut out = Vec::new();
        for kind in kinds {
            let page = self.queue(actor, kind, None, PREVIEW).await?;
            out.push(QueuePreview {
                kind,
                slug: kind.slug(),
                more: page.next.is_some(),
                items: page.items,
            });
        }
        Ok(out)
    }

    /// One queue, a page at a time by key, within the actor's scope.
    pub async fn queue(
        &self,
        actor: &Actor,
        kind: QueueKind,
        after: Option<&str>,
        limit: usize,
    ) -> AppResult<Page<QueueItem>> {
        if grant(actor.role, kind.action()) == Grant::Never {
            return Err(AppError::Forbidden);
        }
        let scope = crate::authz::scope(actor);
        let n = limit as i64 + 1;
        let key = after.and_then(|a| Uuid::parse_str(a.split('_').next_back().unwrap_or(a)).ok());
        let rows = match kind {
            QueueKind::Status(s) => {
                self.store
                    .cases_in_status(&scope, s.as_str(), key, n)
                    .await?
            }
            QueueKind::PlansToApprove => self.store.plans_awaiting(actor.id, key, n).await?,
            QueueKind::MedicalToPrice => self.store.medical_unpriced(key, n).await?,
            QueueKind::EntitlementChanges => self.store.open_reviews(key, n).await?,
            QueueKind::ArrivalsToConfirm => {
                self.store
                    .cases_in_status(&scope, Status::Departed.as_str(), key, n)
                    .await?
            }
            QueueKind::VisitsDue => match &actor.partner_org {
                Some(org) => {
                    let after_visit = after.and_then(|a| {
                        let (day, id) = a.split_once('_')?;
                        Some((
                            retour_domain::parse_date(day).ok()?,
                            Uuid::parse_str(id).ok()?,
                        ))
                    });
                    let until = self.today() + time::Duration::days(7);
                    self.store.visits_due(org, until, after_visit, n).await?
                }
                None => Vec::new(),
            },
        };
        let items: Vec<(String, QueueItem)> = rows
            .into_iter()
            .map(|r| {
                let key = match r.due_on {
                    Some(d) => format!("{}_{}", retour_domain::dates::format_date(d), r.key),
                    None => r.key.to_string(),
                };
                (
                    key,
                    QueueItem {
                        case_id: r.case_id,
                        reference: r.reference,
                        status: r.status,
                        destination_country: r.destination_country,
                        name: format!("{} {}", r.given_names, r.family_name),
                        amount_cents: r.amount_cents,
                        due_on: r.due_on,
                    },
                )
            })
            .collect();
        let page = Page::from_rows(items, limit, |(k, _)| k.clone());
        Ok(Page {
            items: page.items.into_iter().map(|(_, i)| i).collect(),
            next: page.next,
        })
    }
}
