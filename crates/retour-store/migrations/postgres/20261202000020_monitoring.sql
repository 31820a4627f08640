-- After return: survey instruments as loaded (like policies, by id and content hash), monitoring
-- visits, surveys with their raw answers and the scores of the instrument version they were last
-- scored with, the scores they had before each rescoring, and the outcome a case was closed with.
CREATE TABLE instruments (
    id TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    source TEXT NOT NULL,
    loaded_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (id, content_hash)
);
CREATE INDEX instruments_loaded ON instruments (id, loaded_at);

-- One visit per scheduled follow-up of a case; visits outside the schedule have no followup.
-- observed and services_in_progress are encrypted (free text about the returnee's situation).
CREATE TABLE followups (
    id UUID PRIMARY KEY NOT NULL,
    case_id UUID NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    followup TEXT,
    visited_on DATE NOT NULL,
    mode TEXT NOT NULL,
    met TEXT NOT NULL,
    observed TEXT NOT NULL,
    services_in_progress TEXT NOT NULL,
    recorded_by UUID NOT NULL REFERENCES users(id),
    recorded_at TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX followups_scheduled ON followups (case_id, followup) WHERE followup IS NOT NULL;
CREATE INDEX followups_case ON followups (case_id, visited_on, id);

-- answers: JSON object indicator code -> option code. scores: JSON of the dimension scores and
-- the composite as exact fractions, under instrument_id/instrument_hash.
CREATE TABLE surveys (
    id UUID PRIMARY KEY NOT NULL,
    case_id UUID NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    followup_id UUID NOT NULL REFERENCES followups(id) ON DELETE CASCADE,
    answered_on DATE NOT NULL,
    instrument_id TEXT NOT NULL,
    instrument_hash TEXT NOT NULL,
    answers TEXT NOT NULL,
    scores TEXT NOT NULL,
    recorded_by UUID NOT NULL REFERENCES users(id),
    recorded_at TIMESTAMPTZ NOT NULL,
    scored_at TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX surveys_followup ON surveys (followup_id);
CREATE INDEX surveys_case ON surveys (case_id, answered_on, id);
CREATE INDEX surveys_instrument ON surveys (instrument_id, id);

CREATE TABLE survey_score_history (
    survey_id UUID NOT NULL REFERENCES surveys(id) ON DELETE CASCADE,
    instrument_hash TEXT NOT NULL,
    scores TEXT NOT NULL,
    scored_at TIMESTAMPTZ NOT NULL,
    replaced_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (survey_id, replaced_at)
);

ALTER TABLE cases ADD COLUMN outcome TEXT;
ALTER TABLE cases ADD COLUMN outcome_note TEXT;
