-- Issue 12: telemetry is kept for a retention period (deleted by age, hence the index), so the
-- highest sequence number a robot has sent is kept on the robot itself: a late message below it stays
-- history even after the newer rows are gone. Episodes that fail their checks are kept aside in
-- quarantine for an operator to inspect and delete, instead of being retried for ever.
ALTER TABLE robots ADD COLUMN max_seq BIGINT;
UPDATE robots SET max_seq = (SELECT MAX(seq) FROM telemetry WHERE telemetry.robot_id = robots.id);
CREATE INDEX telemetry_by_time ON telemetry(received_ms);

CREATE TABLE quarantine (
  id          VARCHAR(64)   PRIMARY KEY,         -- the upload's id
  robot_id    VARCHAR(64)   NOT NULL,
  task_id     BIGINT,
  task_name   VARCHAR(256)  NOT NULL,
  sha256      VARCHAR(64)   NOT NULL,
  size_bytes  BIGINT        NOT NULL,
  reason      VARCHAR(2048) NOT NULL,
  created_ms  BIGINT        NOT NULL
);
