-- Several transparency logs in one database (issue 7): every server node on the database keeps its
-- own log, signed with its own key, so each leaf now belongs to a named log and indexes run 0, 1,
-- 2, ... per name. Leaves written before this migration belong to the log named '' (what
-- PostgresLogStore.open without a name opens). One writer per log name, as before per table.
ALTER TABLE tlog_leaf ADD COLUMN log_name text NOT NULL DEFAULT '';
ALTER TABLE tlog_leaf ALTER COLUMN log_name DROP DEFAULT;
ALTER TABLE tlog_leaf DROP CONSTRAINT tlog_leaf_pkey;
ALTER TABLE tlog_leaf ADD PRIMARY KEY (log_name, idx);
ALTER TABLE tlog_leaf ADD CONSTRAINT tlog_leaf_log_name_length CHECK (octet_length(log_name) <= 255);
