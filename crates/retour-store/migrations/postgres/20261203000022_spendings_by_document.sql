-- Whether a proof belongs to a medical payment is asked of every document a delivery page lists
-- and every proof opened; without this index each question read all of `spendings`.
CREATE INDEX spendings_document ON spendings (document_id);
