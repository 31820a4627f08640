-- The day the returnee actually left, recorded when the departure is confirmed (the booked day
-- may move; the arrival must not come before the real departure).
ALTER TABLE cases ADD COLUMN departed_on TEXT;
