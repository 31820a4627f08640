//! Quotes: evaluating a household against a policy (filled in by the policy work).
