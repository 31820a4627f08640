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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DepartureBooking {
    pub date: Date,
    pub transport: Transport,
    pub travel_document: TravelDocumentStatus,
}

/// A requested move of a case, with who asks and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransitionRequest {
    pub to: Status,
    pub reason: String,
    pub booking: Option<DepartureBooking>,
}

impl TransitionRequest {
    /// Checks the move from `from`: legal in the state machine, a reason given, and a booking
    /// present exactly when the case moves to `departure_booked`.
    pub fn check(&self, from: Status, today: Date) -> Result<(), ValidationError> {
        from.transition(self.to)?;
        let reason = crate::text::check(&self.reason, crate::text::Shape::Paragraph, 2000)
            .map_err(|e| e.at("reason"))?;
        if reason.is_empty() {
            return Err(ValidationError::new(Invalid::Required).at("reason"));
        }
        match (&self.booking, self.to) {
            (None, Status::DepartureBooked) => {
                Err(ValidationError::new(Invalid::Required).at("booking"))
            }
            (Some(b), Status::DepartureBooked) if b.date < today => {
                Err(ValidationError::new(Invalid::DateOrder {
                    earlier: today,
                    later: b.date,
                })
                .at("booking.date"))
            }
            _ => Ok(()),
        }
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
        let mut req = TransitionRequest {
            to: DepartureBooked,
            reason: "ticket".into(),
            booking: None,
        };
        assert_eq!(
            req.check(PlanApproved, today).unwrap_err().field.as_deref(),
            Some("booking")
        );
        req.booking = Some(DepartureBooking {
            date: date!(2026 - 04 - 20),
            transport: Transport::Plane,
            travel_document: TravelDocumentStatus::Issued,
        });
        assert!(req.check(PlanApproved, today).is_ok());
        req.booking.as_mut().unwrap().date = date!(2026 - 02 - 01);
        assert_eq!(
            req.check(PlanApproved, today).unwrap_err().code(),
            "date-order"
        );
        let blank = TransitionRequest {
            to: Assessed,
            reason: "  ".into(),
            booking: None,
        };
        assert_eq!(blank.check(Intake, today).unwrap_err().code(), "required");
    }
}
