use proptest::prelude::*;

use super::matching::{birth_agreement, score, MatchInput, MatchPerson, Reason, LIKELY};
use super::*;
use crate::dates::BirthDate;
use crate::person::Sex;
use crate::CountryCode;

#[test]
fn folding_removes_diacritics_case_and_punctuation() {
    assert_eq!(fold("Çelik"), "celik");
    assert_eq!(fold("  BAH, Mamadou-Aliou "), "bah mamadou aliou");
    assert_eq!(fold("Мифтари"), "miftari");
    assert_eq!(fold("Ndèye"), "ndeye");
    assert_eq!(fold("N'Diaye"), "ndiaye");
    assert_eq!(fold("Đorđević"), "djordjevic");
    assert_eq!(fold("YILMAZ"), fold("Yılmaz"));
    assert_eq!(fold(""), "");
}

#[test]
fn particles_are_not_words_but_joined_forms_are_keys() {
    assert_eq!(words("al-Hassan"), vec!["hassan"]);
    assert_eq!(words("da Silva Santos"), vec!["silva", "santos"]);
    let keys = name_keys(["Ben Ali"]);
    assert!(keys.contains("w:benali"), "{keys:?}");
    assert!(name_keys(["El Amrani"]).contains("w:elamrani"));
    assert!(name_keys(["Alhassan"]).contains("w:hassan"));
    assert!(!name_keys(["Alexander"]).contains("w:exander"));
}

/// Pairs written differently in files that must share an index key, so that search finds one
/// from the other.
const SAME_NAME: &[(&str, &str)] = &[
    ("Miftari", "Miftary"),
    ("Miftari", "Mifteri"),
    ("Miftari", "Мифтари"),
    ("Mohammed", "Muhammad"),
    ("Mohammed", "محمد"),
    ("Mohamed", "Mouhamed"),
    ("Ahmed", "أحمد"),
    ("Ahmed", "Ахмед"),
    ("Hussein", "Husain"),
    ("Hussein", "حسين"),
    ("Khaled", "خالد"),
    ("Khalid", "Khaled"),
    ("Mahmoud", "محمود"),
    ("Abdullah", "عبد الله"),
    ("Ali", "علي"),
    ("Kelmendi", "Qelmendi"),
    ("Çelik", "Celik"),
    ("Yılmaz", "Yilmaz"),
    ("Đorđević", "Djordjevic"),
    ("Đorđević", "Ђорђевић"),
    ("Jovanović", "Јовановић"),
    ("Shevchenko", "Шевченко"),
    ("Shcherbakov", "Щербаков"),
    ("Mykola", "Микола"),
    ("Oleksandr", "Олександр"),
    ("Aleksandr", "Alexander"),
    ("Abdullayev", "Abdulaev"),
    ("Beridze", "ბერიძე"),
    ("Giorgi", "გიორგი"),
    ("Kapanadze", "კაპანაძე"),
    ("Petrosyan", "Պետրոսյան"),
    ("Hovhannes", "Հովհաննես"),
    ("Papadopoulos", "Παπαδόπουλος"),
    ("Georgios", "Γεώργιος"),
    ("Ndiaye", "N'Diaye"),
    ("Zhukov", "Жуков"),
    ("Bah", "Ba"),
    // A digraph read two ways: French `ch`, Turkish and Persian `th`/`dh` as s/z, `z`+`h`.
    ("Chergui", "شرقي"),
    ("Osman", "عثمان"),
    ("Rezaei", "رضایی"),
    ("Ramazan", "رمضان"),
    ("Ramadan", "رمضان"),
    ("Zahra", "زهرا"),
    ("Amrani", "العمراني"),
    ("El Amrani", "العمراني"),
];

#[test]
fn both_names_typed_in_one_field_block_on_pairs_the_person_carries() {
    let typed = words("Singh Gurpreet");
    let pairs = pair_keys_across(&typed);
    assert!(!pairs.is_empty());
    let stored = person_keys(["Singh", "Gurpreet"]);
    assert!(pairs.iter().all(|p| stored.contains(p)), "{pairs:?}");
    // Pairs join different words, never a word's two sound keys.
    assert!(pair_keys_across(&words("Chergui")).is_empty());
}

#[test]
fn spellings_and_scripts_of_one_name_share_a_key() {
    for (a, b) in SAME_NAME {
        let (ka, kb) = (name_keys([*a]), name_keys([*b]));
        assert!(
            ka.intersection(&kb).next().is_some(),
            "{a} {ka:?} / {b} {kb:?}"
        );
        assert!(
            word_similarity(a, b) >= 0.8,
            "{a} / {b}: {}",
            word_similarity(a, b)
        );
    }
}

#[test]
fn different_names_do_not_look_alike() {
    for (a, b) in [
        ("Miftari", "Krasniqi"),
        ("Beridze", "Kapanadze"),
        ("Ivanov", "Petrov"),
    ] {
        assert!(name_keys([a]).is_disjoint(&name_keys([b])), "{a} / {b}");
        assert!(word_similarity(a, b) < 0.8, "{a} / {b}");
    }
}

#[test]
fn similarity_ranks_closer_spellings_higher() {
    assert!((word_similarity("Miftari", "MIFTARI") - 1.0).abs() < 1e-9);
    assert!(word_similarity("Miftari", "Mifteri") > word_similarity("Miftari", "Mitrović"));
    assert!(
        (word_similarity("martha", "marhta") - 0.9611).abs() < 1e-3,
        "textbook Jaro-Winkler value"
    );
    assert_eq!(word_similarity("", "abc"), 0.0);
}

fn person(family: &str, given: &str, birth: &str, sex: Sex, nat: &str) -> MatchPerson {
    MatchPerson {
        family_name: family.into(),
        given_names: given.into(),
        other_names: Vec::new(),
        birth: Some(BirthDate::parse(birth).expect("date")),
        sex,
        nationalities: vec![CountryCode::parse(nat).expect("code")],
    }
}

#[test]
fn the_same_person_in_another_spelling_is_likely_and_says_why() {
    let stored = person("Miftari", "Agron", "1984-03-11", Sex::Male, "XK");
    let typed = MatchInput {
        family_name: "Miftary".into(),
        given_names: "Agron".into(),
        birth_date: Some("1984".into()),
        ..MatchInput::default()
    }
    .parse()
    .expect("valid");
    let s = score(&typed, &stored);
    assert!(s.value >= LIKELY, "{s:?}");
    assert!(s.reasons.contains(&Reason::SameBirthYear), "{s:?}");
    assert!(
        s.reasons
            .contains(&Reason::NameSpelled("Agron Miftari".into())),
        "{s:?}"
    );
}

#[test]
fn the_same_name_with_another_birth_year_or_sex_is_not_likely() {
    let stored = person("Miftari", "Agron", "1984-03-11", Sex::Male, "XK");
    let other_year = person("Miftari", "Agron", "1961-03-11", Sex::Male, "XK");
    let s = score(&other_year, &stored);
    assert!(s.value < LIKELY, "{s:?}");
    assert!(s.reasons.contains(&Reason::BirthDateDiffers));
    let sister = person("Miftari", "Arta", "1984-03-11", Sex::Female, "XK");
    assert!(score(&sister, &stored).value < LIKELY);
    let same = person("MIFTARI", "agron", "1984-03-11", Sex::Male, "XK");
    let s = score(&same, &stored);
    assert_eq!(s.value, 1.0);
    assert!(s.reasons.contains(&Reason::SameName));
}

#[test]
fn partial_dates_and_typing_slips_agree() {
    let d = |s: &str| BirthDate::parse(s).expect("date");
    assert_eq!(
        birth_agreement(&d("1984"), &d("1984-05-11")).1,
        Reason::SameBirthYear
    );
    assert_eq!(
        birth_agreement(&d("1984-05"), &d("1984-05-11")).1,
        Reason::SameBirthMonth
    );
    assert_eq!(
        birth_agreement(&d("1984-05-11"), &d("1984-11-05")).1,
        Reason::BirthDateClose
    );
    assert_eq!(
        birth_agreement(&d("1984-05-11"), &d("1984-05-17")).1,
        Reason::BirthDateClose
    );
    assert_eq!(
        birth_agreement(&d("1984-05-11"), &d("1948-05-11")).1,
        Reason::BirthDateDiffers
    );
    assert_eq!(birth_agreement(&d("1984-05-11"), &d("1984-05-11")).0, 1.0);
}

#[test]
fn bad_match_input_reports_every_problem() {
    let errors = MatchInput {
        family_name: " ".into(),
        birth_date: Some("1984-13".into()),
        sex: Some("x".into()),
        nationalities: vec!["ZZ".into()],
        ..MatchInput::default()
    }
    .parse()
    .expect_err("invalid");
    let fields: Vec<_> = errors.0.iter().map(|e| e.field.clone()).collect();
    assert_eq!(fields.len(), 4, "{errors:?}");
}

fn name_strategy() -> impl Strategy<Value = String> {
    prop_oneof![
        "[A-Za-zÀ-ÿ' -]{0,30}",
        "[А-Яа-яЁё -]{0,20}",
        "[ა-ჰ ]{0,15}",
        "[ء-ي ]{0,15}",
        "[Ա-Ֆա-ֆ ]{0,15}",
        "[Α-Ωα-ω ]{0,15}",
        any::<String>(),
    ]
}

proptest! {
    #[test]
    fn a_person_is_found_by_the_pair_of_their_names_in_either_field(
        fam in "[A-Za-zÀ-ÿ]{2,12}", given in "[A-Za-zÀ-ÿ]{2,12}( [A-Za-zÀ-ÿ]{2,12})?",
    ) {
        let stored = person_keys([fam.as_str(), given.as_str()]);
        // Past MAX_PAIRED sound keys a person has no pair key for some of them (by design).
        prop_assume!(stored.iter().filter(|k| k.starts_with("s:")).count() <= MAX_PAIRED);
        let f = name_keys([fam.as_str()]);
        let g = name_keys([given.as_str()]);
        let asked = pair_keys_between(&f, &g);
        prop_assert_eq!(&asked, &pair_keys_between(&g, &f));
        prop_assert!(asked.iter().all(|k| stored.contains(k)), "{:?} in {:?}", asked, stored);
        // No pair to block on only when one side has no sound, or both the same single one
        // (the caller then falls back to each name alone).
        let sounds = |keys: &BTreeSet<String>| -> BTreeSet<String> {
            keys.iter().filter(|k| k.starts_with("s:") && k.len() > 2).cloned().collect()
        };
        let (sf, sg) = (sounds(&f), sounds(&g));
        prop_assert!(!asked.is_empty() || sf.is_empty() || sg.is_empty() || (sf == sg && sf.len() == 1));
    }

    #[test]
    fn folding_is_ascii_and_idempotent(name in name_strategy()) {
        let f = fold(&name);
        prop_assert!(f.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b' '));
        prop_assert_eq!(fold(&f), f.clone());
        prop_assert!(!f.starts_with(' ') && !f.ends_with(' ') && !f.contains("  "));
    }

    #[test]
    fn keys_ignore_case_accents_and_order(a in "[A-Za-zÀ-ÿ]{2,12}", b in "[A-Za-zÀ-ÿ]{2,12}") {
        let ab = name_keys([format!("{a} {b}").as_str()]);
        let ba = name_keys([format!("{} {}", b.to_uppercase(), a.to_lowercase()).as_str()]);
        for w in words(&a).iter().chain(words(&b).iter()) {
            let k = format!("w:{w}");
            prop_assert!(ab.contains(&k) && ba.contains(&k), "{}", k);
        }
    }

    #[test]
    fn scores_are_between_0_and_1_and_a_person_matches_itself_best(
        fam in name_strategy(), given in name_strategy(), other in name_strategy(),
        y in 1930i32..2020, m in 1u8..13, d in 1u8..29, y2 in 1930i32..2020,
    ) {
        let birth = BirthDate::parse(&format!("{y:04}-{m:02}-{d:02}")).ok();
        let me = MatchPerson { family_name: fam.clone(), given_names: given.clone(), other_names: vec![],
            birth, sex: Sex::Female, nationalities: vec![] };
        let other_person = MatchPerson { family_name: other, given_names: given, other_names: vec![],
            birth: BirthDate::parse(&format!("{y2:04}")).ok(), sex: Sex::Male, nationalities: vec![] };
        let own = score(&me, &me).value;
        let theirs = score(&me, &other_person).value;
        prop_assert!((0.0..=1.0).contains(&own) && (0.0..=1.0).contains(&theirs));
        if !words(&fam).is_empty() {
            prop_assert!(own >= theirs, "{} < {}", own, theirs);
        }
    }
}
