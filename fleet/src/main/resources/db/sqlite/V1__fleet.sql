-- wam4j fleet schema for SQLite (the embedded default), version 1: db/migration's schema with SQLite's
-- auto-increment keys. Times are epoch milliseconds, documents JSON or markdown text.

CREATE TABLE tokens (
  hash        VARCHAR(64)  PRIMARY KEY,          -- SHA-256 of the secret; the secret itself is never stored
  kind        VARCHAR(16)  NOT NULL,             -- operator | robot
  robot_id    VARCHAR(64),                       -- the robot a robot token acts as
  name        VARCHAR(128) NOT NULL,
  created_ms  BIGINT       NOT NULL
);

CREATE TABLE robots (
  id              VARCHAR(64)   PRIMARY KEY,
  name            VARCHAR(128)  NOT NULL,
  robot_group     VARCHAR(64)   NOT NULL,
  embodiment      VARCHAR(32),                   -- from the factsheet, once registered
  factsheet       VARCHAR(65536),
  state           VARCHAR(32)   NOT NULL,        -- enrolled | idle | busy | offline | stopped
  last_seen_ms    BIGINT,
  last_telemetry  VARCHAR(65536),
  created_ms      BIGINT        NOT NULL
);

CREATE TABLE jobs (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  title        VARCHAR(256)    NOT NULL,
  document     VARCHAR(262144) NOT NULL,
  status       VARCHAR(16)     NOT NULL,         -- running | done | failed
  created_ms   BIGINT          NOT NULL,
  finished_ms  BIGINT
);

CREATE TABLE tasks (
  id            INTEGER PRIMARY KEY AUTOINCREMENT,
  job_id        BIGINT        NOT NULL REFERENCES jobs(id),
  step_index    INT           NOT NULL,
  step_name     VARCHAR(256)  NOT NULL,
  seq           INT           NOT NULL,          -- 1..count within the step
  scene         VARCHAR(64)   NOT NULL,
  goal_x        DOUBLE PRECISION,
  goal_y        DOUBLE PRECISION,
  goal_angle    DOUBLE PRECISION,
  embodiment    VARCHAR(32)   NOT NULL,
  max_steps     INT           NOT NULL,
  status        VARCHAR(16)   NOT NULL,          -- queued | assigned | done | failed
  robot_id      VARCHAR(64),
  attempts      INT           NOT NULL,
  max_attempts  INT           NOT NULL,
  result        VARCHAR(65536),
  updated_ms    BIGINT        NOT NULL
);
CREATE INDEX tasks_by_status ON tasks(status, job_id, step_index, id);

CREATE TABLE telemetry (
  robot_id     VARCHAR(64)   NOT NULL,
  seq          BIGINT        NOT NULL,           -- the robot's own message counter: a resent message is stored once
  received_ms  BIGINT        NOT NULL,
  body         VARCHAR(65536) NOT NULL,
  PRIMARY KEY (robot_id, seq)
);

CREATE TABLE alerts (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  robot_id    VARCHAR(64)   NOT NULL,
  task_id     BIGINT,
  kind        VARCHAR(32)   NOT NULL,
  message     VARCHAR(2048) NOT NULL,
  created_ms  BIGINT        NOT NULL
);
