-- The final report is a form: a comment, and what was still open when it was submitted (planned
-- visits, money left on lines), confirmed by whoever submitted it.
ALTER TABLE final_reports ADD COLUMN comment TEXT NOT NULL DEFAULT '';
ALTER TABLE final_reports ADD COLUMN open_items TEXT NOT NULL DEFAULT '';
