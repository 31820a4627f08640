//! Uploaded proofs of payment: checked by content, stored as files outside the database rows
//! (the row keeps name, type, size and SHA-256), under paths made only of ids.

use retour_domain::{Invalid, ValidationError};
use sha2::{Digest, Sha256};
use std::io::Write;
use std::path::PathBuf;
use uuid::Uuid;

/// 5 MiB: a phone photo of a receipt or a scanned invoice fits; a request body stays small.
pub const MAX_UPLOAD_BYTES: usize = 5 * 1024 * 1024;

/// The file types a proof may have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProofType {
    Pdf,
    Jpeg,
    Png,
}

impl ProofType {
    pub fn media_type(self) -> &'static str {
        match self {
            ProofType::Pdf => "application/pdf",
            ProofType::Jpeg => "image/jpeg",
            ProofType::Png => "image/png",
        }
    }

    fn from_extension(ext: &str) -> Option<ProofType> {
        match ext {
            "pdf" => Some(ProofType::Pdf),
            "jpg" | "jpeg" => Some(ProofType::Jpeg),
            "png" => Some(ProofType::Png),
            _ => None,
        }
    }

    fn from_media_type(m: &str) -> Option<ProofType> {
        [ProofType::Pdf, ProofType::Jpeg, ProofType::Png]
            .into_iter()
            .find(|t| t.media_type() == m)
    }
}

fn refused(code: &'static str, value: impl Into<String>) -> ValidationError {
    ValidationError::new(Invalid::Other {
        code,
        value: value.into(),
    })
    .at("proof")
}

/// Checks an upload before anything is written: a plain file name (no folders, no `..`, no
/// control characters), a size within the limit, an allowed extension, and content that is
/// what the extension says.
pub fn check_upload(name: &str, bytes: &[u8]) -> Result<ProofType, ValidationError> {
    let shown: String = name.chars().filter(|c| !c.is_control()).take(80).collect();
    let bad_name = name.is_empty()
        || name.chars().count() > 200
        || name.contains(['/', '\\'])
        || name.contains("..")
        || name.chars().any(|c| c.is_control());
    if bad_name {
        return Err(refused("bad-file-name", shown));
    }
    if bytes.is_empty() {
        return Err(refused("empty-file", shown));
    }
    if bytes.len() > MAX_UPLOAD_BYTES {
        return Err(refused("file-too-large", "5 MB"));
    }
    let ext = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    let Some(claimed) = ProofType::from_extension(&ext) else {
        return Err(refused("file-type-not-allowed", shown));
    };
    let actual = infer::get(bytes).and_then(|k| ProofType::from_media_type(k.mime_type()));
    if actual != Some(claimed) {
        return Err(refused("file-content-mismatch", shown));
    }
    Ok(claimed)
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// Where proofs live: `<root>/<case id>/<document id>`.
#[derive(Debug, Clone)]
pub struct FileStore {
    root: PathBuf,
}

impl FileStore {
    pub fn new(root: impl Into<PathBuf>) -> FileStore {
        FileStore { root: root.into() }
    }

    fn path(&self, case_id: Uuid, id: Uuid) -> PathBuf {
        self.root.join(case_id.to_string()).join(id.to_string())
    }

    /// Writes the file completely under a temporary name, then renames it into place, so a
    /// crash never leaves a half-written proof under its real name.
    /// Folders and files are readable by Retour's own user only (proofs of medical care or of
    /// support to victims are special-category data).
    pub fn put(&self, case_id: Uuid, id: Uuid, bytes: &[u8]) -> std::io::Result<()> {
        use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
        let dir = self.root.join(case_id.to_string());
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(&dir)?;
        let tmp = dir.join(format!(".{id}.part"));
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, self.path(case_id, id))
    }

    pub fn get(&self, case_id: Uuid, id: Uuid) -> std::io::Result<Vec<u8>> {
        std::fs::read(self.path(case_id, id))
    }

    /// Removes a file whose row was not stored (best effort: a leftover is unreachable anyway).
    pub fn discard(&self, case_id: Uuid, id: Uuid) {
        let _ = std::fs::remove_file(self.path(case_id, id));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PDF: &[u8] = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n";
    const PNG: &[u8] = &[
        0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, b'I', b'H', b'D', b'R',
    ];

    #[test]
    fn uploads_are_checked_by_name_size_and_content() {
        assert_eq!(check_upload("receipt.pdf", PDF).unwrap(), ProofType::Pdf);
        assert_eq!(check_upload("Bon.PNG", PNG).unwrap(), ProofType::Png);
        let code = |name: &str, bytes: &[u8]| check_upload(name, bytes).unwrap_err().code();
        assert_eq!(code("../../etc/passwd.pdf", PDF), "bad-file-name");
        assert_eq!(code("..\\boot.pdf", PDF), "bad-file-name");
        assert_eq!(code("a/b.pdf", PDF), "bad-file-name");
        assert_eq!(check_upload(".scan.pdf", PDF).unwrap(), ProofType::Pdf);
        assert_eq!(code("x\u{0}.pdf", PDF), "bad-file-name");
        assert_eq!(code("receipt.pdf", b""), "empty-file");
        assert_eq!(code("receipt.exe", PDF), "file-type-not-allowed");
        // A PNG named .pdf, and a script named .jpg, are refused.
        assert_eq!(code("receipt.pdf", PNG), "file-content-mismatch");
        assert_eq!(
            code("photo.jpg", b"#!/bin/sh\nrm -rf /\n"),
            "file-content-mismatch"
        );
        let mut big = PDF.to_vec();
        big.resize(MAX_UPLOAD_BYTES + 1, b' ');
        assert_eq!(code("big.pdf", &big), "file-too-large");
    }
}
