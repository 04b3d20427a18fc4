"""SQL shared by the floor view and the raw (pgbench) references."""

# The first inbox page: the department's open steps of cases in progress, by due date.
INBOX_SQL = """
SELECT t.id, t.case_id AS case, c.number AS case_number, v.name AS item_name, t.step_key,
       t.step_name, d.code AS department, t.role, t.status, u.username AS claimed_by, t.due_date
FROM cases_task t
JOIN cases_case c ON c.id = t.case_id
JOIN catalog_itemversion v ON v.id = c.version_id
JOIN accounts_department d ON d.id = t.department_id
LEFT JOIN accounts_user u ON u.id = t.claimed_by_id
WHERE t.department_id = %s AND t.status IN ('open', 'claimed') AND c.status = 'processing'
ORDER BY t.due_date, t.id
LIMIT 51
"""

# pgbench: the same inbox query for a random official's department (bench_official maps n → it).
PGBENCH_INBOX = """
\\set n random(1, :officials)
SELECT t.id, t.case_id, c.number, v.name, t.step_key, t.step_name, d.code, t.role, t.status,
       u.username, t.due_date
FROM cases_task t
JOIN cases_case c ON c.id = t.case_id
JOIN catalog_itemversion v ON v.id = c.version_id
JOIN accounts_department d ON d.id = t.department_id
LEFT JOIN accounts_user u ON u.id = t.claimed_by_id
WHERE t.department_id = (SELECT department_id FROM bench_official WHERE n = :n)
  AND t.status IN ('open', 'claimed') AND c.status = 'processing'
ORDER BY t.due_date, t.id
LIMIT 51;
"""

# pgbench: the case number drawn in a statement of its own, as the app draws it, then the
# rows of one submission in one transaction (case, 3 materials, event, audit stream and
# its 5 records, message, 2 outbox rows).
PGBENCH_SUBMIT = """
\\set r random(1, 1000000000)
INSERT INTO cases_counter (key, last) VALUES ('case:' || :division || ':' || to_char(current_date, 'YYYYMMDD'), 1)
  ON CONFLICT (key) DO UPDATE SET last = cases_counter.last + 1 RETURNING last \\gset
BEGIN;
INSERT INTO cases_case (id, number, query_password, kind, applicant_name, applicant_code,
  applicant_mobile, channel, status, outcome, form_data, declaration_at, received_at,
  round_received_at, correction_round, correction_due, deemed_accepted, due_provisional,
  suspended_days, extension_days, lenient_commitment, not_accepted_reason, reason_text,
  competent_organ, delivery_method, tracking_number, created_at, applicant_id, department_id,
  division_id, item_id, version_id)
VALUES (md5(:r || 'c' || :client_id)::uuid, 'R' || :client_id || lpad(:last::text, 12, '0'), 'ABCD1234', 'new', '张三', :applicant_code, '', 'api',
  'received', '', '{"applicant_name": "张三", "contact": "张三", "phone": "13895000001", "source": "黄河", "volume": "12.5"}',
  now(), now(), now(), 0, current_date + 7, false, false, 0, 0, '', '', '', '', '', '', now(),
  :applicant, :department, :division, :item, :version);
INSERT INTO cases_casematerial (id, file, name, content_type, size, sha256, uploaded_at, round,
  scanned, case_id, requirement_id) VALUES
  (gen_random_uuid(), 'materials/2026/11/' || md5(random()::text) || '.png', 'scan.png', 'image/png', 20480, md5(random()::text) || md5(random()::text), now(), 0, false, md5(:r || 'c' || :client_id)::uuid, :m1),
  (gen_random_uuid(), 'materials/2026/11/' || md5(random()::text) || '.png', 'scan.png', 'image/png', 20480, md5(random()::text) || md5(random()::text), now(), 0, false, md5(:r || 'c' || :client_id)::uuid, :m2),
  (gen_random_uuid(), 'materials/2026/11/' || md5(random()::text) || '.png', 'scan.png', 'image/png', 20480, md5(random()::text) || md5(random()::text), now(), 0, false, md5(:r || 'c' || :client_id)::uuid, :m3);
INSERT INTO cases_caseevent (at, kind, text, public, breach, case_id, department_id)
  VALUES (now(), 'submitted', '已提交申请，等待预审', true, '', md5(:r || 'c' || :client_id)::uuid, :department);
INSERT INTO audit_auditstream (name, head_seq, head_hash, checkpointed_seq, division)
  VALUES ('case:' || md5(:r || 'c' || :client_id)::uuid, 5, md5(random()::text) || md5(random()::text), 0, :division);
INSERT INTO audit_auditrecord (stream, seq, at, actor_label, action, object_type, object_id,
  outcome, detail, alg, prev_hash, hash)
  SELECT 'case:' || md5(:r || 'c' || :client_id)::uuid, s, now(), 'client:bench', 'case.submit', 'case',
         md5(:r || 'c' || :client_id), 'success', '{"number": "x"}', 'sha256',
         md5(random()::text) || md5(random()::text), md5(random()::text) || md5(random()::text)
  FROM generate_series(1, 5) s;
INSERT INTO notify_message (title, body, created_at, case_id, user_id)
  VALUES ('申请已提交', '办件已提交', now(), md5(:r || 'c' || :client_id)::uuid, :applicant);
INSERT INTO notify_outbox (channel, "to", subject, body, created_at, attempts, last_error)
  VALUES ('sms', '13895000000', '申请已提交', 'x', now(), 0, ''), ('email', 'a@example.cn', '申请已提交', 'x', now(), 0, '');
COMMIT;
"""
