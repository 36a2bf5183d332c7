-- A step may ask for less than the protocol's success (coverage > 0.95): the best min(coverage / 0.95, 1)
-- a task must reach to count as done. 1.0 keeps the protocol's meaning.
ALTER TABLE tasks ADD COLUMN success_score DOUBLE PRECISION DEFAULT 1.0 NOT NULL;
