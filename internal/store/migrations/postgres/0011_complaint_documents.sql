-- Official documents may also belong to a complaint about discipline (its
-- Quyết định giải quyết khiếu nại); exactly one owner.
ALTER TABLE documents ADD COLUMN complaint_id BIGINT REFERENCES complaints (id);
ALTER TABLE documents DROP CONSTRAINT documents_owner;
ALTER TABLE documents ADD CONSTRAINT documents_owner CHECK (num_nonnulls(case_id, proceeding_id, suspension_id, complaint_id) = 1);
CREATE INDEX documents_complaint ON documents (complaint_id);
