//! Versioned programme policy (filled in by the policy work).
