-- Official documents may also belong to a suspension of party activity
-- (its Quyết định đình chỉ sinh hoạt đảng); exactly one owner.
ALTER TABLE documents ADD COLUMN suspension_id BIGINT REFERENCES suspensions (id);
ALTER TABLE documents DROP CONSTRAINT documents_owner;
ALTER TABLE documents ADD CONSTRAINT documents_owner CHECK (num_nonnulls(case_id, proceeding_id, suspension_id) = 1);
CREATE INDEX documents_suspension ON documents (suspension_id);
