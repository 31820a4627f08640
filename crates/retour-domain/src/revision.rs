//! An entitlement after its freeze: when the household, a vulnerability, a medical need or the
//! planned departure date changes once the budget was approved, the entitlement is computed
//! again under the policy version that was frozen (never a later one) and compared with the
//! frozen one line by line, so a programme manager sees who gains or loses what under which rule.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use time::Date;

use crate::dates::format_date;
use crate::error::ValidationErrors;
use crate::policy::{Policy, PolicyVersion};
use crate::quote::{evaluate, Component, Quote, QuoteInput};

/// One line that differs: absent before (`before: None`), gone now (`after: None`) or another amount.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineChange {
    /// The member id of the quote lines.
    pub member: String,
    pub component: Component,
    pub rule: String,
    #[serde(with = "crate::revision::opt_eur")]
    pub before: Option<Decimal>,
    #[serde(with = "crate::revision::opt_eur")]
    pub after: Option<Decimal>,
}

impl LineChange {
    /// What the change adds (negative: removes).
    pub fn difference(&self) -> Decimal {
        self.after.unwrap_or_default() - self.before.unwrap_or_default()
    }
}

/// The lines of `after` that differ from `before`, in member then rule order. Lines are matched
/// by member and rule; equal amounts are no change.
pub fn line_changes(before: &Quote, after: &Quote) -> Vec<LineChange> {
    type Key = (String, String);
    let sum = |q: &Quote| {
        let mut m: BTreeMap<Key, (Component, Decimal)> = BTreeMap::new();
        for l in &q.lines {
            let e = m
                .entry((l.member.clone(), l.rule.clone()))
                .or_insert((l.component, Decimal::ZERO));
            e.1 += l.amount;
        }
        m
    };
    let (old, new) = (sum(before), sum(after));
    let mut keys: Vec<&Key> = old.keys().chain(new.keys()).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .filter_map(|k| {
            let b = old.get(k);
            let a = new.get(k);
            if b.map(|x| x.1) == a.map(|x| x.1) {
                return None;
            }
            Some(LineChange {
                member: k.0.clone(),
                component: a.or(b).expect("in one of the two").0,
                rule: k.1.clone(),
                before: b.map(|x| x.1),
                after: a.map(|x| x.1),
            })
        })
        .collect()
}

/// Why an entitlement could not be computed again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RecomputeError {
    /// The policy given is not the version the entitlement was frozen under.
    OtherPolicy {
        frozen: PolicyVersion,
        given: PolicyVersion,
    },
    /// The household as it stands does not make a valid quote request.
    Invalid(ValidationErrors),
}

/// The frozen entitlement computed again for the household as it stands now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recomputed {
    pub quote: Quote,
    /// Empty when the household still gives exactly the frozen entitlement.
    pub changes: Vec<LineChange>,
}

/// Computes `now` under `policy`, which must be the version `frozen` was computed under, and
/// compares it with `frozen`. Deterministic: the same inputs give the same result.
pub fn recompute(
    policy: &Policy,
    frozen: &Quote,
    now: &QuoteInput,
    today: Date,
) -> Result<Recomputed, RecomputeError> {
    if policy.version() != frozen.policy_version {
        return Err(RecomputeError::OtherPolicy {
            frozen: frozen.policy_version.clone(),
            given: policy.version(),
        });
    }
    let household = now.validate(today).map_err(RecomputeError::Invalid)?;
    let quote = evaluate(policy, &household);
    let changes = line_changes(frozen, &quote);
    Ok(Recomputed { quote, changes })
}

/// The frozen request with the day the household actually left as its departure date: ages, and
/// so the departure premium, count on that day.
pub fn on_actual_departure(frozen: &QuoteInput, departed_on: Date) -> QuoteInput {
    QuoteInput {
        planned_departure_date: format_date(departed_on),
        ..frozen.clone()
    }
}

/// Optional euro amounts as strings with two decimals, like quote lines.
pub(crate) mod opt_eur {
    use rust_decimal::Decimal;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(d: &Option<Decimal>, s: S) -> Result<S::Ok, S::Error> {
        match d {
            Some(d) => s.serialize_str(&crate::quote::format_eur(*d)),
            None => s.serialize_none(),
        }
    }
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Decimal>, D::Error> {
        Option::<String>::deserialize(d)?
            .map(|s| {
                crate::policy::parse_amount(&s)
                    .map_err(|e| serde::de::Error::custom(format!("bad amount {s:?}: {e:?}")))
            })
            .transpose()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::BE_2022_SOURCE;
    use crate::quote::QuoteMemberInput;
    use proptest::prelude::*;
    use time::macros::date;

    const TODAY: Date = date!(2030 - 01 - 01);

    fn policy() -> Policy {
        Policy::parse(BE_2022_SOURCE).expect("reference policy parses")
    }
    fn member(id: &str, role: &str, birth: &str) -> QuoteMemberInput {
        QuoteMemberInput {
            id: id.into(),
            role: role.into(),
            birth_date: birth.into(),
            nationalities: vec!["AF".into()],
            ..Default::default()
        }
    }
    fn family(departure: &str) -> QuoteInput {
        QuoteInput {
            application_date: "2026-03-02".into(),
            planned_departure_date: departure.into(),
            destination: "AF".into(),
            members: vec![
                member("p", "principal", "1984-05-11"),
                member("w", "partner", "1986-02-01"),
                // Turns 18 on 2026-05-10.
                member("k", "child", "2008-05-10"),
                member("y", "child", "2015-09-30"),
            ],
        }
    }
    fn frozen(i: &QuoteInput) -> Quote {
        crate::quote::quote(&policy(), i, TODAY).expect("valid")
    }
    fn show(c: &[LineChange]) -> Vec<String> {
        c.iter()
            .map(|c| {
                let f = |d: Option<Decimal>| d.map(crate::quote::format_eur).unwrap_or("-".into());
                format!("{} {} {} -> {}", c.member, c.rule, f(c.before), f(c.after))
            })
            .collect()
    }

    #[test]
    fn an_unchanged_household_gives_no_change() {
        let i = family("2026-04-20");
        let r = recompute(&policy(), &frozen(&i), &i, TODAY).unwrap();
        assert!(r.changes.is_empty());
        assert_eq!(r.quote, frozen(&i));
    }

    #[test]
    fn a_newborn_adds_exactly_their_own_lines() {
        let before = family("2026-04-20");
        let mut after = before.clone();
        after.members.push(member("baby", "child", "2026-04-02"));
        let r = recompute(&policy(), &frozen(&before), &after, TODAY).unwrap();
        assert_eq!(
            show(&r.changes),
            vec![
                "baby premium.child.visa_required - -> 175.00",
                "baby reintegration.member - -> 1000.00",
                "baby topup.family_child - -> 500.00",
            ]
        );
        let added: Decimal = r.changes.iter().map(LineChange::difference).sum();
        assert_eq!(added, Decimal::from(1675));
    }

    #[test]
    fn moving_the_departure_past_an_eighteenth_birthday_changes_only_that_members_lines() {
        let before = family("2026-05-09");
        let after = family("2026-05-10");
        let r = recompute(&policy(), &frozen(&before), &after, TODAY).unwrap();
        assert_eq!(
            show(&r.changes),
            vec![
                "k premium.adult.visa_required - -> 350.00",
                "k premium.child.visa_required 175.00 -> -",
                "k topup.family_child 500.00 -> -",
            ]
        );
    }

    #[test]
    fn another_policy_version_is_refused() {
        let i = family("2026-04-20");
        let other =
            Policy::parse(&BE_2022_SOURCE.replace("id = \"BE-2022\"", "id = \"BE-2022-bis\""))
                .expect("parses");
        assert_ne!(other.version(), policy().version(), "the edit took");
        assert!(matches!(
            recompute(&other, &frozen(&i), &i, TODAY),
            Err(RecomputeError::OtherPolicy { .. })
        ));
    }

    #[test]
    fn a_household_that_no_longer_validates_is_reported() {
        let before = family("2026-04-20");
        let mut after = before.clone();
        after.members.push(member("later", "child", "2026-04-21"));
        match recompute(&policy(), &frozen(&before), &after, TODAY) {
            Err(RecomputeError::Invalid(e)) => assert_eq!(e.codes(), vec!["born-after-departure"]),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn the_actual_departure_day_only_moves_the_date() {
        let i = family("2026-05-09");
        let moved = on_actual_departure(&i, date!(2026 - 05 - 12));
        assert_eq!(moved.planned_departure_date, "2026-05-12");
        assert_eq!(moved.members, i.members);
        assert_eq!(moved.application_date, i.application_date);
    }

    proptest! {
        /// Whatever day the departure moves to, only members who cross their 18th birthday in
        /// between see their lines change (premium and child top-up); computing twice gives the same.
        #[test]
        fn only_members_crossing_eighteen_change(from in 0i64..400, to in 0i64..400) {
            let start = date!(2026 - 03 - 02);
            let d = |n: i64| format_date(start + time::Duration::days(n));
            let before = family(&d(from));
            let after = family(&d(to));
            let r = recompute(&policy(), &frozen(&before), &after, TODAY).unwrap();
            prop_assert_eq!(&r, &recompute(&policy(), &frozen(&before), &after, TODAY).unwrap());
            let birthday = date!(2026 - 05 - 10);
            let crosses = (start + time::Duration::days(from) < birthday)
                != (start + time::Duration::days(to) < birthday);
            if crosses {
                prop_assert_eq!(r.changes.len(), 3);
                for c in &r.changes {
                    prop_assert_eq!(c.member.as_str(), "k");
                }
            } else {
                prop_assert!(r.changes.is_empty(), "{:?}", show(&r.changes));
            }
        }

        /// The differences add up to the change in the totals.
        #[test]
        fn changes_add_up_to_the_totals(births in proptest::collection::vec(0i64..48, 0..4)) {
            let before = family("2026-04-20");
            let mut after = before.clone();
            for (i, n) in births.iter().enumerate() {
                let born = date!(2026 - 03 - 02) + time::Duration::days(*n);
                after.members.push(member(&format!("baby{i}"), "child", &format_date(born)));
            }
            let old = frozen(&before);
            let r = recompute(&policy(), &old, &after, TODAY).unwrap();
            let total = |q: &Quote| q.lines.iter().map(|l| l.amount).sum::<Decimal>();
            let diff: Decimal = r.changes.iter().map(LineChange::difference).sum();
            prop_assert_eq!(total(&r.quote) - total(&old), diff);
        }
    }
}
