//! End-to-end quotes under the reference policy BE-2022, and properties of the evaluation.
//! Expected amounts are derived by hand from shared/DOMAIN.md ("Programme rules"); the
//! arithmetic is in the comments.

use proptest::prelude::*;
use retour_domain::dates::format_date;
use retour_domain::policy::{Policy, BE_2022_SOURCE};
use retour_domain::quote::{
    quote, Component, MedicalNeedInput, Quote, QuoteInput, QuoteMemberInput,
};
use rust_decimal::Decimal;
use serde_json::json;
use std::str::FromStr;
use std::sync::OnceLock;
use time::macros::date;
use time::Duration;

/// Later than every generated date, so no birth date is in the future.
const TODAY: time::Date = date!(2030 - 01 - 01);

fn policy() -> &'static Policy {
    static P: OnceLock<Policy> = OnceLock::new();
    P.get_or_init(|| Policy::parse(BE_2022_SOURCE).expect("reference policy parses"))
}

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

/// `member=rule=amount` with a `!` when the line needs approval.
fn lines(q: &Quote) -> Vec<String> {
    q.lines
        .iter()
        .map(|l| {
            format!(
                "{}={}={}{}",
                l.member,
                l.rule,
                l.amount,
                if l.requires_approval { "!" } else { "" }
            )
        })
        .collect()
}

#[test]
fn the_example_request_of_the_contract() {
    let input: QuoteInput = serde_json::from_value(json!({
        "application_date": "2026-03-02", "planned_departure_date": "2026-04-20", "destination": "XK",
        "members": [
          {"id": "a", "role": "principal", "birth_date": "1984-05-11", "nationalities": ["XK"],
           "vulnerabilities": ["complex_medical"], "prior_support_dates": ["2019-06-01"],
           "medical_needs": [{"label": "insulin", "monthly_eur": "120.00"}, {"label": "tests", "one_off_eur": "400.00"}]},
          {"id": "c1", "role": "child", "birth_date": "2015-01-30", "nationalities": ["XK"], "vulnerabilities": []}]
    }))
    .unwrap();
    let q = quote(policy(), &input, TODAY).unwrap();
    // XK is visa_exempt: 50 per adult, 25 per child, no reintegration budget, every
    // vulnerability line needs approval. Support on 2019-06-01 is before 2021-03-02
    // (application date minus 5 years): not excluded.
    // a:  AMAAR = 400.00 + 6 × 120.00 = 1120.00 (under the 6000.00 cap)
    // c1: 11 years old on 2026-04-20 → child premium 25.00 and family top-up 500.00
    // Partner fee 300.00, awaiting approval like every in-kind line.
    // approval_required = 1120.00 + 500.00 = 1620.00 (the partner fee is not a vulnerability line)
    let expected = json!({
        "policy": "BE-2022",
        "policy_hash": policy().content_hash(),
        "eligible": true,
        "ineligibility_reasons": [],
        "country_category": "visa_exempt",
        "totals": {
            "departure_premium_cash": "75.00",
            "reintegration_in_kind": "0.00",
            "vulnerability_in_kind": "500.00",
            "medical_in_kind": "1120.00",
            "partner_fee": "300.00",
            "approval_required": "1620.00"
        },
        "lines": [
            {"member": "a", "component": "departure_premium", "rule": "premium.adult.visa_exempt", "amount": "50.00", "requires_approval": false},
            {"member": "a", "component": "medical", "rule": "amaar", "amount": "1120.00", "requires_approval": true},
            {"member": "c1", "component": "departure_premium", "rule": "premium.child.visa_exempt", "amount": "25.00", "requires_approval": false},
            {"member": "c1", "component": "vulnerability", "rule": "topup.family_child", "amount": "500.00", "requires_approval": true},
            {"member": "a", "component": "partner_fee", "rule": "partner_fee", "amount": "300.00", "requires_approval": false}
        ],
        "services": ["balkan_administrative_support"],
        "deadlines": {"reintegration_months": 12, "medical_months": 6}
    });
    assert_eq!(serde_json::to_value(&q).unwrap(), expected);
    // The serialised quote reads back to the same value.
    let back: Quote = serde_json::from_value(expected).unwrap();
    assert_eq!(back, q);
    assert_eq!(q.policy_version, policy().version());
}

fn person(id: &str, role: &str, birth: &str, nationality: &str) -> QuoteMemberInput {
    QuoteMemberInput {
        id: id.into(),
        role: role.into(),
        birth_date: birth.into(),
        nationalities: vec![nationality.into()],
        ..Default::default()
    }
}

fn monthly(label: &str, eur: &str) -> MedicalNeedInput {
    MedicalNeedInput {
        label: label.into(),
        monthly_eur: Some(eur.into()),
        one_off_eur: None,
    }
}

fn one_off(label: &str, eur: &str) -> MedicalNeedInput {
    MedicalNeedInput {
        label: label.into(),
        monthly_eur: None,
        one_off_eur: Some(eur.into()),
    }
}

/// The Miftari family (source page 004): two parents and three children, Kosovo nationals
/// returning to Kosovo; regular doctor visits for two children.
#[test]
fn the_miftari_family_returning_to_kosovo() {
    let mut children = vec![
        person("arben", "child", "2011-10-05", "XK"), // 14 on 2026-04-20
        person("drita", "child", "2016-08-12", "XK"), // 9
        person("ilir", "child", "2020-11-23", "XK"),  // 5
    ];
    children[1].vulnerabilities = vec!["complex_medical".into()];
    children[1].medical_needs = vec![monthly("doctor visits", "40.00")];
    children[2].vulnerabilities = vec!["complex_medical".into()];
    children[2].medical_needs = vec![
        monthly("doctor visits", "40.00"),
        one_off("hearing test", "150.00"),
    ];
    let mut members = vec![
        person("besnik", "principal", "1986-06-15", "XK"),
        person("shqipe", "partner", "1989-09-03", "XK"),
    ];
    members.extend(children);
    let input = QuoteInput {
        application_date: "2026-03-02".into(),
        planned_departure_date: "2026-04-20".into(),
        destination: "XK".into(),
        members,
    };
    let q = quote(policy(), &input, TODAY).unwrap();
    assert!(q.eligible);
    assert_eq!(q.country_category.as_str(), "visa_exempt");
    assert_eq!(
        lines(&q),
        vec![
            "besnik=premium.adult.visa_exempt=50.00",
            "shqipe=premium.adult.visa_exempt=50.00",
            "arben=premium.child.visa_exempt=25.00",
            "arben=topup.family_child=500.00!",
            "drita=premium.child.visa_exempt=25.00",
            "drita=topup.family_child=500.00!",
            "drita=amaar=240.00!", // 6 × 40.00
            "ilir=premium.child.visa_exempt=25.00",
            "ilir=topup.family_child=500.00!",
            "ilir=amaar=390.00!",        // 150.00 + 6 × 40.00
            "besnik=partner_fee=300.00", // the fee itself never awaits approval
        ]
    );
    // premium: 2 × 50.00 + 3 × 25.00 = 175.00
    assert_eq!(q.totals.departure_premium_cash, d("175.00"));
    // no basic reintegration budget for a visa-exempt country
    assert_eq!(q.totals.reintegration_in_kind, d("0.00"));
    // family with children: 3 × 500.00 = 1500.00
    assert_eq!(q.totals.vulnerability_in_kind, d("1500.00"));
    // AMAAR: 240.00 + 390.00 = 630.00
    assert_eq!(q.totals.medical_in_kind, d("630.00"));
    assert_eq!(q.totals.partner_fee, d("300.00"));
    // needs approval: 1500.00 + 630.00 = 2130.00 (vulnerability lines only, not the partner fee)
    assert_eq!(q.totals.approval_required, d("2130.00"));
    assert_eq!(
        q.services,
        vec!["balkan_administrative_support".to_string()]
    );
    assert_eq!(
        (q.deadlines.reintegration_months, q.deadlines.medical_months),
        (12, 6)
    );
}

/// Mr Bah: a single Guinean adult (GN is visa_required) with a complex medical file whose
/// itemised needs exceed the AMAAR cap.
#[test]
fn mr_bah_returning_to_guinea_with_capped_medical_support() {
    let mut bah = person("bah", "principal", "1979-02-14", "GN");
    bah.vulnerabilities = vec!["complex_medical".into()];
    // Support on 2020-01-10 is before 2021-03-02 (application minus 5 years): not excluded.
    bah.prior_support_dates = vec!["2020-01-10".into()];
    bah.medical_needs = vec![
        monthly("dialysis", "850.00"),
        monthly("nephrologist", "60.00"),
        one_off("equipment", "900.00"),
    ];
    let input = QuoteInput {
        application_date: "2026-03-02".into(),
        planned_departure_date: "2026-05-04".into(),
        destination: "GN".into(),
        members: vec![bah],
    };
    let q = quote(policy(), &input, TODAY).unwrap();
    assert!(q.eligible);
    assert!(q.ineligibility_reasons.is_empty());
    assert_eq!(
        lines(&q),
        vec![
            "bah=premium.adult.visa_required=350.00",
            "bah=reintegration.principal=2000.00",
            // 900.00 + 6 × (850.00 + 60.00) = 900.00 + 5460.00 = 6360.00 > 6000.00
            "bah=amaar.capped=6000.00",
            "bah=partner_fee=300.00",
        ]
    );
    assert_eq!(q.totals.departure_premium_cash, d("350.00"));
    assert_eq!(q.totals.reintegration_in_kind, d("2000.00"));
    assert_eq!(q.totals.vulnerability_in_kind, d("0.00"));
    assert_eq!(q.totals.medical_in_kind, d("6000.00"));
    assert_eq!(q.totals.partner_fee, d("300.00"));
    assert_eq!(q.totals.approval_required, d("0.00"));
    assert!(q.services.is_empty());
}

// ---------------------------------------------------------------------------------------------
// Properties

const NATIONALITIES: &[&str] = &[
    "GN", "AF", "XK", "AL", "GE", "PL", "RO", "FR", "DE", "GB", "BE", "BR",
];
const DESTINATIONS: &[&str] = &["GN", "AF", "XK", "AL", "GE", "PL", "RO", "BR", "UA"];
const VULNERABILITIES: &[&str] = &[
    "complex_medical",
    "trafficking_victim",
    "unaccompanied_minor",
];

fn arb_need() -> impl Strategy<Value = MedicalNeedInput> {
    (any::<bool>(), 0u64..300_000).prop_map(|(is_monthly, cents)| {
        let eur = format!("{}.{:02}", cents / 100, cents % 100);
        if is_monthly {
            monthly("need", &eur)
        } else {
            one_off("need", &eur)
        }
    })
}

fn arb_member(role: &'static str) -> impl Strategy<Value = (QuoteMemberInput, i64)> {
    (
        0i64..80 * 366,
        proptest::sample::subsequence(NATIONALITIES, 1..=2),
        proptest::sample::subsequence(VULNERABILITIES, 0..=3),
        proptest::collection::vec(0i64..4000, 0..=2),
        proptest::collection::vec(arb_need(), 0..=4),
    )
        .prop_map(move |(age_days, nats, vulns, prior, needs)| {
            let m = QuoteMemberInput {
                id: String::new(),
                role: role.into(),
                birth_date: String::new(),
                nationalities: nats.iter().map(|s| s.to_string()).collect(),
                vulnerabilities: vulns.iter().map(|s| s.to_string()).collect(),
                // Stored as offsets; turned into dates relative to the application below.
                prior_support_dates: prior.iter().map(|p| p.to_string()).collect(),
                medical_needs: needs,
            };
            (m, age_days)
        })
}

fn arb_input() -> impl Strategy<Value = QuoteInput> {
    let others = proptest::collection::vec(
        proptest::sample::select(&["partner", "child", "other"][..]).prop_flat_map(arb_member),
        0..=5,
    );
    (
        0i64..3000,
        0i64..400,
        proptest::sample::select(DESTINATIONS),
        arb_member("principal"),
        others,
    )
        .prop_map(|(app_offset, wait, destination, principal, others)| {
            let application = date!(2020 - 01 - 01) + Duration::days(app_offset);
            let members = std::iter::once(principal)
                .chain(others)
                .enumerate()
                .map(|(i, (mut m, age_days))| {
                    m.id = format!("m{i}");
                    m.birth_date = format_date(application - Duration::days(age_days));
                    m.prior_support_dates = m
                        .prior_support_dates
                        .iter()
                        .map(|p| format_date(application - Duration::days(p.parse().unwrap())))
                        .collect();
                    m
                })
                .collect();
            QuoteInput {
                application_date: format_date(application),
                planned_departure_date: format_date(application + Duration::days(wait)),
                destination: destination.to_string(),
                members,
            }
        })
}

fn run(input: &QuoteInput) -> Quote {
    quote(policy(), input, TODAY).unwrap_or_else(|e| panic!("generated input must be valid: {e}"))
}

const COMPONENTS: [Component; 5] = [
    Component::DeparturePremium,
    Component::Reintegration,
    Component::Vulnerability,
    Component::Medical,
    Component::PartnerFee,
];

fn all_totals(q: &Quote) -> [Decimal; 6] {
    let t = &q.totals;
    [
        t.departure_premium_cash,
        t.reintegration_in_kind,
        t.vulnerability_in_kind,
        t.medical_in_kind,
        t.partner_fee,
        t.approval_required,
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn totals_are_the_sums_of_the_lines(input in arb_input()) {
        let q = run(&input);
        for c in COMPONENTS {
            let sum: Decimal = q.lines.iter().filter(|l| l.component == c).map(|l| l.amount).sum();
            prop_assert_eq!(q.totals.of(c), sum, "{}", c);
        }
        let approval: Decimal = q.lines.iter().filter(|l| l.requires_approval).map(|l| l.amount).sum();
        prop_assert_eq!(q.totals.approval_required, approval);
        if !q.eligible {
            prop_assert!(q.lines.is_empty());
            prop_assert!(q.services.is_empty());
        }
        // Lines in member order, then component order; partner fee last.
        let order = |l: &retour_domain::quote::QuoteLine| {
            if l.component == Component::PartnerFee {
                (usize::MAX, l.component)
            } else {
                (input.members.iter().position(|m| m.id == l.member).unwrap(), l.component)
            }
        };
        prop_assert!(q.lines.windows(2).all(|w| order(&w[0]) <= order(&w[1])));
        // Excluded members receive nothing.
        for r in &q.ineligibility_reasons {
            prop_assert!(q.lines.iter().all(|l| l.member != r.member || l.component == Component::PartnerFee));
        }
        prop_assert!(q.lines.iter().all(|l| l.amount > Decimal::ZERO));
    }

    #[test]
    fn adding_a_vulnerability_never_lowers_a_total(
        input in arb_input(),
        who in any::<prop::sample::Index>(),
        which in prop::sample::select(VULNERABILITIES),
    ) {
        let before = run(&input);
        let mut more = input.clone();
        let i = who.index(more.members.len());
        if !more.members[i].vulnerabilities.iter().any(|v| v == which) {
            more.members[i].vulnerabilities.push(which.to_string());
        }
        let after = run(&more);
        prop_assert_eq!(before.eligible, after.eligible);
        for (b, a) in all_totals(&before).iter().zip(all_totals(&after).iter()) {
            prop_assert!(a >= b, "{:?} -> {:?}", before.totals, after.totals);
        }
    }

    #[test]
    fn nobody_gets_more_medical_support_than_the_cap(input in arb_input()) {
        let q = run(&input);
        let cap = policy().amaar().cap_per_person;
        for m in &input.members {
            let medical: Decimal =
                q.lines.iter().filter(|l| l.member == m.id && l.component == Component::Medical).map(|l| l.amount).sum();
            prop_assert!(medical <= cap, "{} gets {}", m.id, medical);
        }
    }

    #[test]
    fn evaluation_is_deterministic_and_round_trips(input in arb_input()) {
        let a = run(&input);
        let b = run(&input.clone());
        prop_assert_eq!(&a, &b);
        let text = serde_json::to_string(&a).unwrap();
        prop_assert_eq!(&text, &serde_json::to_string(&b).unwrap());
        let back: Quote = serde_json::from_str(&text).unwrap();
        prop_assert_eq!(&back, &a);
        // Every amount is written with exactly two decimals.
        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
        for amount in v["totals"].as_object().unwrap().values().chain(v["lines"].as_array().unwrap().iter().map(|l| &l["amount"])) {
            let s = amount.as_str().unwrap();
            prop_assert!(s.split_once('.').is_some_and(|(_, f)| f.len() == 2), "{}", s);
        }
    }
}
