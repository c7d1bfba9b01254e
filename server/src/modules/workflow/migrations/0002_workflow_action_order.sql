-- Actions of one case in the order they were recorded (several can share a timestamp: parallel
-- steps decided in the same millisecond, or a test clock).
ALTER TABLE workflow_actions ADD COLUMN seq bigserial;
CREATE INDEX workflow_actions_case_seq_idx ON workflow_actions (case_id, seq);
