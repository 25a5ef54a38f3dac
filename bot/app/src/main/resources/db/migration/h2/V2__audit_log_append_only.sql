-- H2: refuse UPDATE and DELETE on the audit log with a Java trigger (H2 has no procedural language).
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log FOR EACH ROW CALL 'dev.fixgate.app.store.AppendOnlyTrigger';
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log FOR EACH ROW CALL 'dev.fixgate.app.store.AppendOnlyTrigger';
