//! Realistic names for generated households: per-region family and given names from
//! `data/names.toml`, drawn with a long tail (Zipf over each list's order), female forms of
//! Slavic surnames, other Latin spellings and names recorded in their own script.

use std::sync::OnceLock;

use rand::rngs::StdRng;
use rand::Rng;
use serde::Deserialize;

#[derive(Deserialize)]
struct File {
    region: Vec<RegionData>,
}

#[derive(Deserialize)]
struct RegionData {
    countries: Vec<String>,
    languages: Vec<String>,
    script: Option<String>,
    native_share: Option<f64>,
    families: Vec<Vec<String>>,
    male: Vec<Vec<String>>,
    female: Vec<Vec<String>>,
    #[serde(default)]
    variants: Vec<Vec<String>>,
}

/// A name: its Latin spelling and, for some, its spelling in the region's own script.
#[derive(Debug, Clone)]
pub struct Name {
    pub latin: String,
    pub native: Option<String>,
}

/// A list of names with the cumulative weights of a Zipf long tail over their order.
pub struct Weighted {
    names: Vec<Name>,
    cumulative: Vec<f64>,
}

impl Weighted {
    fn new(raw: Vec<Vec<String>>) -> Weighted {
        let names: Vec<Name> = raw
            .into_iter()
            .filter_map(|mut v| {
                let native = (v.len() > 1).then(|| v.remove(1));
                let latin = v.into_iter().next()?;
                Some(Name { latin, native })
            })
            .collect();
        let mut total = 0.0;
        let cumulative = (0..names.len())
            .map(|i| {
                // s = 0.9: the most common name is a few per cent of the region, and the
                // last quarter of the list still appears.
                total += 1.0 / ((i + 1) as f64).powf(0.9);
                total
            })
            .collect();
        Weighted { names, cumulative }
    }

    pub fn pick(&self, rng: &mut StdRng) -> &Name {
        let total = self.cumulative.last().copied().unwrap_or(0.0);
        let roll = rng.gen_range(0.0..total);
        let i = self.cumulative.partition_point(|&c| c <= roll);
        &self.names[i.min(self.names.len() - 1)]
    }

    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.names.len()
    }

    #[cfg(test)]
    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }
}

pub struct Region {
    pub countries: Vec<String>,
    pub languages: Vec<String>,
    /// Share of persons whose name is also recorded in the region's own script.
    pub native_share: f64,
    pub families: Weighted,
    pub male: Weighted,
    pub female: Weighted,
    /// Other Latin spellings, by the usual one.
    variants: std::collections::HashMap<String, Vec<String>>,
    slavic: bool,
}

impl Region {
    /// Other Latin spellings of a name met in files.
    pub fn variants_of(&self, latin: &str) -> &[String] {
        self.variants.get(latin).map(Vec::as_slice).unwrap_or(&[])
    }

    /// The family name as a woman bears it (Ivanov → Ivanova, Stojanovski → Stojanovska).
    pub fn female_form(&self, name: &Name) -> Name {
        if !self.slavic {
            return name.clone();
        }
        let latin = feminine(
            &name.latin,
            &[
                ("ov", "ova"),
                ("ev", "eva"),
                ("in", "ina"),
                ("ski", "ska"),
                ("skyi", "ska"),
                ("skiy", "skaya"),
                ("sky", "ska"),
            ],
        );
        let native = name.native.as_ref().map(|n| {
            feminine(
                n,
                &[
                    ("ов", "ова"),
                    ("ев", "ева"),
                    ("ин", "ина"),
                    ("ски", "ска"),
                    ("ський", "ська"),
                    ("ский", "ская"),
                ],
            )
        });
        Name { latin, native }
    }
}

fn feminine(name: &str, endings: &[(&str, &str)]) -> String {
    for (m, f) in endings.iter().rev() {
        if let Some(stem) = name.strip_suffix(m) {
            return format!("{stem}{f}");
        }
    }
    name.to_string()
}

/// Every region of `data/names.toml`, parsed once.
pub fn regions() -> &'static [Region] {
    static REGIONS: OnceLock<Vec<Region>> = OnceLock::new();
    REGIONS.get_or_init(|| {
        let file: File = toml::from_str(include_str!("../data/names.toml"))
            .expect("data/names.toml is checked by the tests");
        file.region
            .into_iter()
            .map(|r| {
                let slavic = r.script.as_deref() == Some("Cyrl");
                let variants = r
                    .variants
                    .into_iter()
                    .filter_map(|mut g| {
                        if g.len() < 2 {
                            return None;
                        }
                        let first = g.remove(0);
                        Some((first, g))
                    })
                    .collect();
                Region {
                    countries: r.countries,
                    languages: r.languages,
                    native_share: r.native_share.unwrap_or(0.0),
                    families: Weighted::new(r.families),
                    male: Weighted::new(r.male),
                    female: Weighted::new(r.female),
                    variants,
                    slavic,
                }
            })
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn the_name_data_reads_and_has_a_long_tail() {
        let regions = regions();
        assert!(regions.len() >= 12);
        let families: usize = regions.iter().map(|r| r.families.len()).sum();
        assert!(families >= 3000, "{families} family names");
        for r in regions {
            assert!(!r.male.is_empty() && !r.female.is_empty());
            for c in &r.countries {
                retour_domain::CountryCode::parse(c).expect("country codes are ISO");
            }
        }
        // Drawn 20,000 times, a region's names spread over most of the list, with a head.
        let mut rng = StdRng::seed_from_u64(7);
        let r = &regions[0];
        let mut seen = std::collections::HashMap::new();
        for _ in 0..20_000 {
            *seen
                .entry(r.families.pick(&mut rng).latin.clone())
                .or_insert(0) += 1;
        }
        assert!(
            seen.len() * 10 >= r.families.len() * 8,
            "{} of {}",
            seen.len(),
            r.families.len()
        );
        let top = seen.values().max().copied().unwrap_or(0);
        assert!(top > 20_000 / r.families.len() * 5, "a head: {top}");
    }

    #[test]
    fn women_bear_the_female_form_of_slavic_surnames() {
        let r = regions()
            .iter()
            .find(|r| r.slavic)
            .expect("a Cyrillic region");
        let f = r.female_form(&Name {
            latin: "Ivanov".into(),
            native: Some("Иванов".into()),
        });
        assert_eq!(f.latin, "Ivanova");
        assert_eq!(f.native.as_deref(), Some("Иванова"));
        assert_eq!(
            r.female_form(&Name {
                latin: "Stojanovski".into(),
                native: None
            })
            .latin,
            "Stojanovska"
        );
    }
}
