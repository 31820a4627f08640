//! The case lifecycle as an explicit state machine.
//!
//! `intake → assessed → plan_approved → departure_booked → departed → arrived → in_reintegration
//! → monitoring → closed`, plus `withdrawn` from any state before `departed` (return stays
//! voluntary to the end) and `no_show` from `departure_booked`.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;
use time::Date;

use crate::error::{Invalid, ValidationError};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Intake,
    Assessed,
    PlanApproved,
    DepartureBooked,
    Departed,
    Arrived,
    InReintegration,
    Monitoring,
    Closed,
    Withdrawn,
    NoShow,
}

impl Status {
    pub const ALL: [Status; 11] = [
        Status::Intake,
        Status::Assessed,
        Status::PlanApproved,
        Status::DepartureBooked,
        Status::Departed,
        Status::Arrived,
        Status::InReintegration,
        Status::Monitoring,
        Status::Closed,
        Status::Withdrawn,
        Status::NoShow,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Intake => "intake",
            Status::Assessed => "assessed",
            Status::PlanApproved => "plan_approved",
            Status::DepartureBooked => "departure_booked",
            Status::Departed => "departed",
            Status::Arrived => "arrived",
            Status::InReintegration => "in_reintegration",
            Status::Monitoring => "monitoring",
            Status::Closed => "closed",
            Status::Withdrawn => "withdrawn",
            Status::NoShow => "no_show",
        }
    }

    /// Whether a case in this state can have a frozen entitlement: the freeze comes with the
    /// move to `plan_approved`, and no case moves back. (A withdrawn case may have been frozen
    /// before it was withdrawn.)
    pub fn can_have_frozen_entitlement(self) -> bool {
        !matches!(self, Status::Intake | Status::Assessed)
    }

    /// The states a case may move to from this one.
    pub fn next(self) -> &'static [Status] {
        use Status::*;
        match self {
            Intake => &[Assessed, Withdrawn],
            Assessed => &[PlanApproved, Withdrawn],
            PlanApproved => &[DepartureBooked, Withdrawn],
            DepartureBooked => &[Departed, NoShow, Withdrawn],
            Departed => &[Arrived],
            Arrived => &[InReintegration],
            InReintegration => &[Monitoring],
            Monitoring => &[Closed],
            Closed | Withdrawn | NoShow => &[],
        }
    }

    pub fn can_move_to(self, to: Status) -> bool {
        self.next().contains(&to)
    }

    pub fn is_final(self) -> bool {
        self.next().is_empty()
    }

    /// Checks a transition and returns what must be recorded with it.
    pub fn transition(self, to: Status) -> Result<Status, ValidationError> {
        if self.can_move_to(to) {
            Ok(to)
        } else {
            Err(ValidationError::new(Invalid::IllegalTransition {
                from: self.as_str().into(),
                to: to.as_str().into(),
            }))
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Status {
    type Err = ValidationError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Status::ALL
            .into_iter()
            .find(|st| st.as_str() == s)
            .ok_or_else(|| {
                ValidationError::new(Invalid::UnknownValue {
                    value: s.to_string(),
                })
            })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Transport {
    Plane,
    Bus,
    Train,
    Car,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TravelDocumentStatus {
    /// A valid passport or identity document is at hand.
    Valid,
    /// A laissez-passer or new passport has been requested from the embassy.
    Requested,
    /// Issued and handed over for the journey.
    Issued,
    Missing,
}

/// What booking a departure records; required to move to `departure_booked`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DepartureBooking {
    pub date: Date,
    pub transport: Transport,
    pub travel_document: TravelDocumentStatus,
}

/// A requested move of a case, with who asks and why, and what the move needs: the booking to
/// book a departure, the actual date to confirm a departure or an arrival.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransitionRequest {
    pub to: Status,
    pub reason: String,
    pub booking: Option<DepartureBooking>,
    /// The day it happened, for `departed` and `arrived`.
    pub on: Option<Date>,
    /// How the case ended, for `closed`.
    pub outcome: Option<crate::monitoring::ClosingOutcome>,
}

/// What a move is checked against besides the state machine: the case as it stands and today.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MoveContext {
    pub today: Date,
    /// The departure as booked.
    pub booking: Option<DepartureBooking>,
    /// The departure as it happened.
    pub departed_on: Option<Date>,
    /// How many days before the booked date a departure may be confirmed (an earlier flight),
    /// from the policy.
    pub departure_tolerance_days: u32,
}

impl Status {
    /// Whether moving here records the day it happened (and the form asks for it).
    pub fn needs_date(self) -> bool {
        matches!(self, Status::Departed | Status::Arrived)
    }
}

impl TransitionRequest {
    /// Checks the move from `from`: legal in the state machine, a reason given, a booking
    /// exactly when the case moves to `departure_booked` (not in the past), and the actual day
    /// of a departure (not in the future, not long before the booked day, with a travel document
    /// in hand) or of an arrival (not in the future, not before the departure).
    pub fn check(&self, from: Status, ctx: &MoveContext) -> Result<(), ValidationError> {
        from.transition(self.to)?;
        let reason = crate::text::check(&self.reason, crate::text::Shape::Paragraph, 2000)
            .map_err(|e| e.at("reason"))?;
        if reason.is_empty() {
            return Err(ValidationError::new(Invalid::Required).at("reason"));
        }
        match (&self.booking, self.to) {
            (None, Status::DepartureBooked) => {
                return Err(ValidationError::new(Invalid::Required).at("booking"))
            }
            (Some(b), Status::DepartureBooked) if b.date < ctx.today => {
                return Err(ValidationError::new(Invalid::DateOrder {
                    earlier: ctx.today,
                    later: b.date,
                })
                .at("booking.date"))
            }
            _ => {}
        }
        if self.to == Status::Closed && self.outcome.is_none() {
            return Err(ValidationError::new(Invalid::Required).at("outcome"));
        }
        if !self.to.needs_date() {
            return Ok(());
        }
        let Some(on) = self.on else {
            return Err(ValidationError::new(Invalid::Required).at("on"));
        };
        if on > ctx.today {
            return Err(crate::error::day("date-in-future", on).at("on"));
        }
        match self.to {
            Status::Departed => {
                let booking = ctx
                    .booking
                    .ok_or_else(|| ValidationError::new(Invalid::Required).at("booking"))?;
                let earliest =
                    booking.date - time::Duration::days(ctx.departure_tolerance_days as i64);
                if on < earliest {
                    return Err(ValidationError::new(Invalid::DateOrder {
                        earlier: earliest,
                        later: on,
                    })
                    .at("on"));
                }
                if !booking.travel_document.ready() {
                    return Err(crate::error::other(
                        "travel-document-not-ready",
                        booking.travel_document.as_str(),
                    )
                    .at("booking.travel_document"));
                }
            }
            Status::Arrived => {
                let left = ctx.departed_on.or(ctx.booking.map(|b| b.date));
                if let Some(left) = left.filter(|d| on < *d) {
                    return Err(ValidationError::new(Invalid::DateOrder {
                        earlier: left,
                        later: on,
                    })
                    .at("on"));
                }
            }
            _ => {}
        }
        Ok(())
    }
}

impl TravelDocumentStatus {
    /// Whether the returnee can travel on it: valid, or issued for the journey.
    pub fn ready(self) -> bool {
        matches!(
            self,
            TravelDocumentStatus::Valid | TravelDocumentStatus::Issued
        )
    }
}

/// A lifecycle move as a form or the API sends it: strings, to be parsed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TransitionInput {
    pub to: String,
    pub reason: String,
    /// For `departure_booked`: the booked day, the transport and the travel document.
    pub booking_date: String,
    pub transport: String,
    pub travel_document: String,
    /// For `departed` and `arrived`: the day it happened.
    pub on: String,
    /// For `closed`: how the case ended, and what for `other`.
    pub outcome: String,
    pub outcome_note: String,
}

impl TransitionInput {
    /// Reads the move, reporting every problem with its field. Dates are read as `parse_date`
    /// reads them.
    pub fn parse(&self) -> Result<TransitionRequest, crate::ValidationErrors> {
        let mut errors = crate::ValidationErrors::default();
        let to: Option<Status> = self
            .to
            .trim()
            .parse()
            .map_err(|e: ValidationError| errors.push(e.at("to")))
            .ok();
        let booking = if to == Some(Status::DepartureBooked) {
            let date = crate::parse_date(&self.booking_date)
                .map_err(|e| errors.push(e.at("booking.date")))
                .ok();
            let transport = self
                .transport
                .trim()
                .parse()
                .map_err(|e: ValidationError| errors.push(e.at("booking.transport")))
                .ok();
            let doc = self
                .travel_document
                .trim()
                .parse()
                .map_err(|e: ValidationError| errors.push(e.at("booking.travel_document")))
                .ok();
            match (date, transport, doc) {
                (Some(date), Some(transport), Some(travel_document)) => Some(DepartureBooking {
                    date,
                    transport,
                    travel_document,
                }),
                _ => None,
            }
        } else {
            None
        };
        let on = match to {
            Some(s) if s.needs_date() => {
                if self.on.trim().is_empty() {
                    errors.push(ValidationError::new(Invalid::Required).at("on"));
                    None
                } else {
                    crate::parse_date(&self.on)
                        .map_err(|e| errors.push(e.at("on")))
                        .ok()
                }
            }
            _ => None,
        };
        let outcome = match to {
            Some(Status::Closed) => {
                match crate::monitoring::ClosingOutcome::parse(&self.outcome, &self.outcome_note) {
                    Ok(o) => Some(o),
                    Err(e) => {
                        errors.0.extend(e.0);
                        None
                    }
                }
            }
            _ => None,
        };
        errors.into_result(())?;
        Ok(TransitionRequest {
            outcome,
            to: to.expect("checked"),
            reason: self.reason.clone(),
            booking,
            on,
        })
    }
}

crate::string_enum!(Transport { Plane = "plane", Bus = "bus", Train = "train", Car = "car" });
crate::string_enum!(TravelDocumentStatus {
    Valid = "valid",
    Requested = "requested",
    Issued = "issued",
    Missing = "missing",
});

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;
    use Status::*;

    const LEGAL: &[(Status, Status)] = &[
        (Intake, Assessed),
        (Assessed, PlanApproved),
        (PlanApproved, DepartureBooked),
        (DepartureBooked, Departed),
        (Departed, Arrived),
        (Arrived, InReintegration),
        (InReintegration, Monitoring),
        (Monitoring, Closed),
        (Intake, Withdrawn),
        (Assessed, Withdrawn),
        (PlanApproved, Withdrawn),
        (DepartureBooked, Withdrawn),
        (DepartureBooked, NoShow),
    ];

    #[test]
    fn exactly_the_legal_transitions_are_allowed() {
        for from in Status::ALL {
            for to in Status::ALL {
                let expected = LEGAL.contains(&(from, to));
                assert_eq!(from.can_move_to(to), expected, "{from} -> {to}");
                match from.transition(to) {
                    Ok(s) => assert!(expected && s == to),
                    Err(e) => {
                        assert!(!expected);
                        assert_eq!(e.code(), "illegal-transition");
                        assert!(e.to_string().contains(from.as_str()));
                    }
                }
            }
        }
    }

    #[test]
    fn only_intake_and_assessment_come_before_any_freeze() {
        // Every state reachable from `assessed` without passing `plan_approved` is withdrawn.
        let mut before = vec![Status::Intake];
        let mut i = 0;
        while i < before.len() {
            for &n in before[i].next() {
                if n != Status::PlanApproved && n != Status::Withdrawn && !before.contains(&n) {
                    before.push(n);
                }
            }
            i += 1;
        }
        assert_eq!(before, vec![Status::Intake, Status::Assessed]);
        for s in Status::ALL {
            assert_eq!(s.can_have_frozen_entitlement(), !before.contains(&s), "{s}");
        }
    }

    #[test]
    fn withdrawal_is_possible_until_departure_and_not_after() {
        for s in [Intake, Assessed, PlanApproved, DepartureBooked] {
            assert!(s.can_move_to(Withdrawn), "{s}");
        }
        for s in [
            Departed,
            Arrived,
            InReintegration,
            Monitoring,
            Closed,
            NoShow,
            Withdrawn,
        ] {
            assert!(!s.can_move_to(Withdrawn), "{s}");
        }
        assert!(Closed.is_final() && Withdrawn.is_final() && NoShow.is_final());
    }

    #[test]
    fn statuses_round_trip_through_their_names() {
        for s in Status::ALL {
            assert_eq!(s.as_str().parse::<Status>().unwrap(), s);
        }
        assert!("gone".parse::<Status>().is_err());
    }

    #[test]
    fn booking_is_required_to_book_a_departure_and_a_reason_always() {
        let today = date!(2026 - 03 - 01);
        let ctx = MoveContext {
            today,
            booking: None,
            departed_on: None,
            departure_tolerance_days: 7,
        };
        let mut req = TransitionRequest {
            outcome: None,
            to: DepartureBooked,
            reason: "ticket".into(),
            booking: None,
            on: None,
        };
        assert_eq!(
            req.check(PlanApproved, &ctx).unwrap_err().field.as_deref(),
            Some("booking")
        );
        req.booking = Some(DepartureBooking {
            date: date!(2026 - 04 - 20),
            transport: Transport::Plane,
            travel_document: TravelDocumentStatus::Issued,
        });
        assert!(req.check(PlanApproved, &ctx).is_ok());
        req.booking.as_mut().unwrap().date = date!(2026 - 02 - 01);
        assert_eq!(
            req.check(PlanApproved, &ctx).unwrap_err().code(),
            "date-order"
        );
        let blank = TransitionRequest {
            outcome: None,
            to: Assessed,
            reason: "  ".into(),
            booking: None,
            on: None,
        };
        assert_eq!(blank.check(Intake, &ctx).unwrap_err().code(), "required");
    }

    #[test]
    fn departure_and_arrival_are_confirmed_with_the_day_they_happened() {
        let booked = DepartureBooking {
            date: date!(2026 - 04 - 20),
            transport: Transport::Plane,
            travel_document: TravelDocumentStatus::Valid,
        };
        let ctx = |today| MoveContext {
            today,
            booking: Some(booked),
            departed_on: None,
            departure_tolerance_days: 7,
        };
        let depart = |on| TransitionRequest {
            outcome: None,
            to: Departed,
            reason: "left".into(),
            booking: None,
            on,
        };
        // Weeks before the booked flight: refused; a few days early (an earlier flight): fine.
        let err = depart(Some(date!(2026 - 03 - 30)))
            .check(DepartureBooked, &ctx(date!(2026 - 03 - 30)))
            .unwrap_err();
        assert_eq!(
            (err.code(), err.field.as_deref()),
            ("date-order", Some("on"))
        );
        assert!(depart(Some(date!(2026 - 04 - 15)))
            .check(DepartureBooked, &ctx(date!(2026 - 04 - 15)))
            .is_ok());
        // Never in the future, never without the day.
        assert_eq!(
            depart(Some(date!(2026 - 04 - 21)))
                .check(DepartureBooked, &ctx(date!(2026 - 04 - 20)))
                .unwrap_err()
                .code(),
            "date-in-future"
        );
        assert_eq!(
            depart(None)
                .check(DepartureBooked, &ctx(date!(2026 - 04 - 20)))
                .unwrap_err()
                .code(),
            "required"
        );
        // Nobody leaves without a travel document.
        let mut missing = ctx(date!(2026 - 04 - 20));
        missing.booking.as_mut().unwrap().travel_document = TravelDocumentStatus::Missing;
        assert_eq!(
            depart(Some(date!(2026 - 04 - 20)))
                .check(DepartureBooked, &missing)
                .unwrap_err()
                .code(),
            "travel-document-not-ready"
        );
        // Arrival: not before the departure as it happened, not in the future.
        let mut after = ctx(date!(2026 - 04 - 22));
        after.departed_on = Some(date!(2026 - 04 - 21));
        let arrive = |on| TransitionRequest {
            outcome: None,
            to: Arrived,
            reason: "arrived".into(),
            booking: None,
            on: Some(on),
        };
        assert!(arrive(date!(2026 - 04 - 21))
            .check(Departed, &after)
            .is_ok());
        assert_eq!(
            arrive(date!(2026 - 04 - 20))
                .check(Departed, &after)
                .unwrap_err()
                .code(),
            "date-order"
        );
        assert_eq!(
            arrive(date!(2026 - 04 - 23))
                .check(Departed, &after)
                .unwrap_err()
                .code(),
            "date-in-future"
        );
    }

    #[test]
    fn a_move_typed_in_a_form_is_read_with_what_it_needs() {
        let input = |to: &str, on: &str| TransitionInput {
            to: to.into(),
            reason: "ok".into(),
            on: on.into(),
            ..Default::default()
        };
        assert_eq!(
            input("departed", "2026-04-20").parse().unwrap().on,
            Some(date!(2026 - 04 - 20))
        );
        assert_eq!(
            input("departed", "").parse().unwrap_err().codes(),
            vec!["required"]
        );
        assert_eq!(input("assessed", "").parse().unwrap().on, None);
        assert_eq!(
            input("gone", "").parse().unwrap_err().codes(),
            vec!["unknown-value"]
        );
        let booking = TransitionInput {
            to: "departure_booked".into(),
            reason: "ok".into(),
            booking_date: "2026-04-20".into(),
            transport: "plane".into(),
            travel_document: "nothing".into(),
            ..Default::default()
        };
        assert_eq!(booking.parse().unwrap_err().codes(), vec!["unknown-value"]);
    }
}
