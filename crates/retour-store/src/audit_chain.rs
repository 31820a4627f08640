//! Tamper evidence for the audit trail, without I/O.
//!
//! Every record gets two keyed hashes (HMAC-SHA-256 under a key derived from the data key, so
//! someone who can write to the database but does not hold the key cannot forge either):
//! - its *seal*, written in the same statement as the record, over everything the record says;
//! - its *link*, written when the record is given its sequence number, over the previous
//!   record's link, the number and the seal.
//!
//! Walking the records by number and recomputing both tells what was done to them: a changed
//! record breaks its seal but not its link, a record in another place keeps its seal but breaks
//! its link, a record Retour never wrote breaks both, a missing number is a deletion. The head
//! of the chain is also written outside the database (a checkpoint), so cutting off the newest
//! records is seen too.

use hmac::{Hmac, Mac};
use sha2::Sha256;
use time::OffsetDateTime;
use uuid::Uuid;

type HmacSha256 = Hmac<Sha256>;

/// The key of the seals and links.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct ChainKey(pub [u8; 32]);

impl std::fmt::Debug for ChainKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ChainKey(**)")
    }
}

/// What a record says, as the seal covers it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordContent<'a> {
    pub id: Uuid,
    pub at: OffsetDateTime,
    pub actor_id: Option<Uuid>,
    pub action: &'a str,
    pub case_id: Option<Uuid>,
    pub detail: &'a str,
}

fn mac(key: &ChainKey) -> HmacSha256 {
    HmacSha256::new_from_slice(&key.0).expect("HMAC takes any key length")
}

fn opt_id(m: &mut HmacSha256, id: Option<Uuid>) {
    match id {
        None => m.update(&[0]),
        Some(id) => {
            m.update(&[1]);
            m.update(id.as_bytes());
        }
    }
}

fn text(m: &mut HmacSha256, s: &str) {
    m.update(&(s.len() as u64).to_be_bytes());
    m.update(s.as_bytes());
}

/// The seal of one record. Every field is length-prefixed or fixed-length, so no two different
/// records share an encoding; times count whole microseconds, as both databases store them.
pub fn seal(key: &ChainKey, r: &RecordContent<'_>) -> [u8; 32] {
    let mut m = mac(key);
    m.update(b"retour audit seal v1");
    m.update(r.id.as_bytes());
    m.update(&((r.at.unix_timestamp_nanos() / 1000) as i64).to_be_bytes());
    opt_id(&mut m, r.actor_id);
    text(&mut m, r.action);
    opt_id(&mut m, r.case_id);
    text(&mut m, r.detail);
    m.finalize().into_bytes().into()
}

/// The link of record `seq`, after the link `prev` of record `seq - 1` (zeros before the first).
pub fn link(key: &ChainKey, prev: &[u8; 32], seq: i64, seal: &[u8; 32]) -> [u8; 32] {
    let mut m = mac(key);
    m.update(b"retour audit link v1");
    m.update(prev);
    m.update(&seq.to_be_bytes());
    m.update(seal);
    m.finalize().into_bytes().into()
}

/// The last sealed record: its number and link.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Head {
    pub seq: i64,
    pub link: [u8; 32],
}

impl Head {
    /// `seq hex-link`, the form of the checkpoint file and the log line.
    pub fn to_line(self) -> String {
        format!("{} {}", self.seq, hex::encode(self.link))
    }
    pub fn parse_line(line: &str) -> Option<Head> {
        let (seq, link) = line.trim().split_once(' ')?;
        let link: [u8; 32] = hex::decode(link.trim()).ok()?.try_into().ok()?;
        Some(Head {
            seq: seq.trim().parse().ok().filter(|s| *s > 0)?,
            link,
        })
    }
}

/// One numbered record as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SealedRecord<'a> {
    pub content: RecordContent<'a>,
    /// `None`: written before records were sealed (see [`Walker::legacy_until`]), or not by Retour.
    pub seal: Option<[u8; 32]>,
    pub seq: i64,
    pub link: Option<[u8; 32]>,
}

/// The first thing found wrong, in the order of the chain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Break {
    /// Record `seq` no longer says what it said when it was written.
    Edited { seq: i64 },
    /// Records `from..=to` are missing.
    Deleted { from: i64, to: i64 },
    /// Record `seq` was not written by Retour (or a second record carries its number).
    Inserted { seq: i64 },
    /// Record `seq` is genuine but not in the place it was numbered in.
    Reordered { seq: i64 },
    /// The newest records were cut off: the chain ends at `last`, the checkpoint says `expected`.
    CutOff { last: i64, expected: i64 },
    /// The chain up to the checkpoint's record is not the one the checkpoint recorded.
    Rewritten { seq: i64 },
}

impl Break {
    /// The first sequence number that is wrong.
    pub fn seq(&self) -> i64 {
        match *self {
            Break::Edited { seq }
            | Break::Inserted { seq }
            | Break::Reordered { seq }
            | Break::Rewritten { seq } => seq,
            Break::Deleted { from, .. } => from,
            Break::CutOff { last, .. } => last + 1,
        }
    }
    /// `edited`, `deleted`, `inserted`, `reordered`, `cut-off` or `rewritten`.
    pub fn kind(&self) -> &'static str {
        match self {
            Break::Edited { .. } => "edited",
            Break::Deleted { .. } => "deleted",
            Break::Inserted { .. } => "inserted",
            Break::Reordered { .. } => "reordered",
            Break::CutOff { .. } => "cut-off",
            Break::Rewritten { .. } => "rewritten",
        }
    }
}

/// Walks numbered records in order of their number and stops at the first break.
#[derive(Debug, Clone)]
pub struct Walker {
    key: ChainKey,
    /// Records up to this id (in id order) were written before sealing began: their seal is
    /// computed when they are numbered.
    legacy_until: Option<Uuid>,
    checkpoint: Option<Head>,
    prev: [u8; 32],
    last: i64,
    pub count: u64,
}

impl Walker {
    pub fn new(key: ChainKey, legacy_until: Option<Uuid>, checkpoint: Option<Head>) -> Walker {
        Walker {
            key,
            legacy_until,
            checkpoint,
            prev: [0; 32],
            last: 0,
            count: 0,
        }
    }

    /// The seal a record should carry: its own, or for a record older than sealing, the one
    /// computed from what it says now (it was numbered under that).
    fn expected_seal(
        &self,
        r: &RecordContent<'_>,
        stored: Option<[u8; 32]>,
    ) -> (Option<[u8; 32]>, bool) {
        let computed = seal(&self.key, r);
        match stored {
            Some(s) => (Some(s), s == computed),
            None if self.legacy_until.is_some_and(|l| r.id <= l) => (Some(computed), true),
            None => (None, false),
        }
    }

    pub fn feed(&mut self, r: &SealedRecord<'_>) -> Result<(), Break> {
        if r.seq <= self.last {
            return Err(Break::Inserted { seq: r.seq });
        }
        if r.seq > self.last + 1 {
            return Err(Break::Deleted {
                from: self.last + 1,
                to: r.seq - 1,
            });
        }
        let (seal, seal_ok) = self.expected_seal(&r.content, r.seal);
        let linked = |s: &[u8; 32]| r.link == Some(link(&self.key, &self.prev, r.seq, s));
        // The sealing job links a record whose seal did not hold over zeros: numbering it
        // does not vouch for it.
        let over_zeros = linked(&[0; 32]);
        let over_seal = seal.is_some_and(|s| linked(&s));
        match (seal_ok, over_seal, over_zeros) {
            (true, true, _) => {}
            (false, true, _) => return Err(Break::Edited { seq: r.seq }),
            (true, false, false) => return Err(Break::Reordered { seq: r.seq }),
            _ => return Err(Break::Inserted { seq: r.seq }),
        }
        let link = r.link.expect("checked");
        if let Some(c) = self.checkpoint.filter(|c| c.seq == r.seq) {
            if c.link != link {
                return Err(Break::Rewritten { seq: r.seq });
            }
        }
        self.prev = link;
        self.last = r.seq;
        self.count += 1;
        Ok(())
    }

    /// After the last record: the head, unless the checkpoint names a record past it.
    pub fn finish(&self) -> Result<Option<Head>, Break> {
        if let Some(c) = self.checkpoint.filter(|c| c.seq > self.last) {
            return Err(Break::CutOff {
                last: self.last,
                expected: c.seq,
            });
        }
        Ok((self.last > 0).then_some(Head {
            seq: self.last,
            link: self.prev,
        }))
    }

    /// What the sealing job links a record over: its seal when it holds (or, for a record older
    /// than sealing, the one computed from what it says), else zeros.
    pub fn seal_to_link(&self, r: &RecordContent<'_>, stored: Option<[u8; 32]>) -> [u8; 32] {
        match self.expected_seal(r, stored) {
            (Some(s), true) => s,
            _ => [0; 32],
        }
    }

    /// Whether a record not numbered yet still says what it said when written.
    pub fn unsealed_intact(&self, r: &RecordContent<'_>, stored: Option<[u8; 32]>) -> bool {
        self.expected_seal(r, stored).1
    }
}

/// Numbers records after `head`: the `(seq, link)` of each, in the order given.
pub fn extend(key: &ChainKey, head: Option<Head>, seals: &[[u8; 32]]) -> Vec<(i64, [u8; 32])> {
    let (mut seq, mut prev) = head.map(|h| (h.seq, h.link)).unwrap_or((0, [0; 32]));
    seals
        .iter()
        .map(|s| {
            seq += 1;
            prev = link(key, &prev, seq, s);
            (seq, prev)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const KEY: ChainKey = ChainKey([7; 32]);

    struct Owned {
        id: Uuid,
        action: String,
        detail: String,
        seal: Option<[u8; 32]>,
        seq: i64,
        link: Option<[u8; 32]>,
    }

    impl Owned {
        fn content(&self) -> RecordContent<'_> {
            RecordContent {
                id: self.id,
                at: OffsetDateTime::from_unix_timestamp(1_800_000_000).unwrap(),
                actor_id: None,
                action: &self.action,
                case_id: Some(Uuid::from_u128(9)),
                detail: &self.detail,
            }
        }
        fn record(&self) -> SealedRecord<'_> {
            SealedRecord {
                content: self.content(),
                seal: self.seal,
                seq: self.seq,
                link: self.link,
            }
        }
    }

    fn chain(n: usize) -> Vec<Owned> {
        let mut rows: Vec<Owned> = (0..n)
            .map(|i| Owned {
                id: Uuid::from_u128(i as u128 + 1),
                action: "case.update".into(),
                detail: format!("field {i}"),
                seal: None,
                seq: 0,
                link: None,
            })
            .collect();
        let seals: Vec<[u8; 32]> = rows.iter().map(|r| seal(&KEY, &r.content())).collect();
        for (r, (s, (seq, l))) in rows
            .iter_mut()
            .zip(seals.iter().zip(extend(&KEY, None, &seals)))
        {
            r.seal = Some(*s);
            r.seq = seq;
            r.link = Some(l);
        }
        rows
    }

    fn walk(rows: &[Owned], checkpoint: Option<Head>) -> Result<Option<Head>, Break> {
        let mut w = Walker::new(KEY, None, checkpoint);
        let mut sorted: Vec<&Owned> = rows.iter().collect();
        sorted.sort_by_key(|r| r.seq);
        for r in sorted {
            w.feed(&r.record())?;
        }
        w.finish()
    }

    #[test]
    fn an_intact_chain_walks_to_its_head() {
        let rows = chain(5);
        let head = walk(&rows, None).unwrap().unwrap();
        assert_eq!(head.seq, 5);
        assert_eq!(walk(&rows, Some(head)).unwrap(), Some(head));
        assert_eq!(Head::parse_line(&head.to_line()), Some(head));
    }

    #[test]
    fn each_kind_of_tampering_is_named_at_its_number() {
        let mut edited = chain(5);
        edited[2].detail = "field 99".into();
        assert_eq!(walk(&edited, None), Err(Break::Edited { seq: 3 }));

        let mut deleted = chain(5);
        deleted.remove(1);
        assert_eq!(walk(&deleted, None), Err(Break::Deleted { from: 2, to: 2 }));

        let mut inserted = chain(5);
        let forged = Owned {
            id: Uuid::from_u128(100),
            action: "case.update".into(),
            detail: "forged".into(),
            seal: Some([1; 32]),
            seq: 6,
            link: Some([2; 32]),
        };
        inserted.push(forged);
        assert_eq!(walk(&inserted, None), Err(Break::Inserted { seq: 6 }));

        let mut swapped = chain(5);
        swapped[1].seq = 4;
        swapped[3].seq = 2;
        assert_eq!(walk(&swapped, None), Err(Break::Reordered { seq: 2 }));

        let full = chain(5);
        let head = walk(&full, None).unwrap();
        let mut cut = chain(5);
        cut.truncate(3);
        assert_eq!(walk(&cut, None).unwrap().unwrap().seq, 3);
        assert_eq!(
            walk(&cut, head),
            Err(Break::CutOff {
                last: 3,
                expected: 5
            })
        );
    }

    #[test]
    fn legacy_records_are_trusted_only_up_to_where_sealing_began() {
        let mut rows = chain(3);
        // Records written before sealing: no seal stored, links over what they say.
        for r in &mut rows {
            r.seal = None;
        }
        let mut w = Walker::new(KEY, Some(Uuid::from_u128(3)), None);
        for r in &rows {
            w.feed(&r.record()).unwrap();
        }
        let mut w = Walker::new(KEY, Some(Uuid::from_u128(2)), None);
        w.feed(&rows[0].record()).unwrap();
        w.feed(&rows[1].record()).unwrap();
        assert_eq!(w.feed(&rows[2].record()), Err(Break::Inserted { seq: 3 }));
    }

    proptest! {
        /// Changing any one record's text is found at exactly that record.
        #[test]
        fn any_single_edit_is_found_where_it_is(n in 1usize..30, at in 0usize..30, text in "[a-z ]{0,12}") {
            let at = at % n;
            let mut rows = chain(n);
            prop_assume!(rows[at].detail != text);
            rows[at].detail = text;
            prop_assert_eq!(walk(&rows, None), Err(Break::Edited { seq: at as i64 + 1 }));
        }

        /// Removing any run of records is found at its first number, or at the checkpoint for the tail.
        #[test]
        fn any_deletion_is_found(n in 2usize..30, from in 0usize..30, len in 1usize..5) {
            let from = from % n;
            let to = (from + len).min(n);
            let full = chain(n);
            let head = walk(&full, None).unwrap();
            let mut rows = chain(n);
            rows.drain(from..to);
            let got = walk(&rows, head).unwrap_err();
            prop_assert_eq!(got.seq(), from as i64 + 1);
        }
    }
}
