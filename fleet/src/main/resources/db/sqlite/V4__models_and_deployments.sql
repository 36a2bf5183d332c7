-- The model registry (world action model checkpoints, versioned per name, with their cards) and
-- deployments of a version to a robot group: first to one canary robot, then promoted to the group,
-- or rolled back (the group returns to its previous active deployment).

CREATE TABLE models (
  name        VARCHAR(128)   NOT NULL,
  version     INT            NOT NULL,
  sha256      VARCHAR(64)    NOT NULL,          -- of the uploaded archive
  path        VARCHAR(1024)  NOT NULL,
  card        VARCHAR(65536),
  created_ms  BIGINT         NOT NULL,
  PRIMARY KEY (name, version)
);

CREATE TABLE deployments (
  id               INTEGER PRIMARY KEY AUTOINCREMENT,
  model_name       VARCHAR(128) NOT NULL,
  model_version    INT          NOT NULL,
  robot_group      VARCHAR(64)  NOT NULL,
  canary_robot_id  VARCHAR(64),
  status           VARCHAR(16)  NOT NULL,         -- canary | active | rolled_back
  created_ms       BIGINT       NOT NULL,
  updated_ms       BIGINT       NOT NULL
);
