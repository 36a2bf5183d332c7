-- Episodes recorded by robots: uploaded in chunks (resumable: the received bytes are on disk before a
-- chunk is acknowledged), checked against their SHA-256, then kept as one-episode LeRobot datasets and
-- appended to the dataset of their task.

CREATE TABLE uploads (
  id              VARCHAR(64)  PRIMARY KEY,
  robot_id        VARCHAR(64)  NOT NULL,
  task_id         BIGINT,
  task_name       VARCHAR(256) NOT NULL,
  sha256          VARCHAR(64)  NOT NULL,
  size_bytes      BIGINT       NOT NULL,
  status          VARCHAR(16)  NOT NULL,         -- open | complete
  episode_id      BIGINT,
  created_ms      BIGINT       NOT NULL,
  UNIQUE (robot_id, sha256)
);

CREATE TABLE episodes (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  robot_id    VARCHAR(64)   NOT NULL,
  task_id     BIGINT,
  task_name   VARCHAR(256)  NOT NULL,
  sha256      VARCHAR(64)   NOT NULL UNIQUE,
  frames      INT           NOT NULL,
  success     BOOLEAN       NOT NULL,
  path        VARCHAR(1024) NOT NULL,
  created_ms  BIGINT        NOT NULL
);

-- The data flywheel: the hours of a task's dataset at its last fine-tuning trigger.
CREATE TABLE flywheel (
  task_name        VARCHAR(256)     PRIMARY KEY,
  triggered_hours  DOUBLE PRECISION NOT NULL,
  triggered_ms     BIGINT           NOT NULL
);
