-- Every robot a task was ever given to: an episode upload is accepted only from one of them.
CREATE TABLE task_attempts (
  task_id     BIGINT       NOT NULL,
  robot_id    VARCHAR(64)  NOT NULL,
  claimed_ms  BIGINT       NOT NULL,
  PRIMARY KEY (task_id, robot_id)
);
INSERT INTO task_attempts(task_id, robot_id, claimed_ms) SELECT id, robot_id, updated_ms FROM tasks WHERE robot_id IS NOT NULL;
