-- Claims look up a job's current step and its next queued task by index (issue 12: a 10 x 1,000 job made every claim scan).
CREATE INDEX tasks_by_job_step ON tasks(job_id, step_index, status, embodiment, id);
