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
WHERE t.department_id = %s AND t.status IN ('open', 'claimed') AND NOT t.paused
  AND c.status = 'processing'
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
  AND t.status IN ('open', 'claimed') AND NOT t.paused AND c.status = 'processing'
ORDER BY t.due_date, t.id
LIMIT 51;
"""

# pgbench: what the app's one-request submission writes (tests/bench/test_fair_rows.py
# holds the three together): the case number drawn in a statement of its own, as the app
# draws it (cases/numbering.py), with the platform's local day; then in one transaction the
# Idempotency-Key's record (claimed by one upsert that takes over an expired twin, its
# answer set), the case, 3 materials (two PDFs and a photo), the timeline entry and its row
# of the statistics' rollup, the audit stream and its 5 records, the exchange's event, the
# applicant's message and its SMS and e-mail.
PGBENCH_SUBMIT = """
\\set r random(1, 1000000000)
INSERT INTO cases_counter (key, last) VALUES ('case:' || :division || ':' || to_char((now() AT TIME ZONE 'Asia/Shanghai')::date, 'YYYYMMDD'), 1)
  ON CONFLICT (key) DO UPDATE SET last = cases_counter.last + 1 RETURNING last \\gset
BEGIN;
INSERT INTO api_idempotencyrecord (principal, key, method, path, body_hash, status_code,
  response_body, created_at)
VALUES ('client:' || :sysclient, 'raw-' || md5(:r || 'k' || :client_id), 'POST',
  '/api/v1/cases/submit/', md5(:r || 'b') || md5(:r || 'h'), 0, '', now())
  ON CONFLICT (principal, key) DO UPDATE SET method = excluded.method, path = excluded.path,
  body_hash = excluded.body_hash, status_code = 0, response_body = '',
  created_at = excluded.created_at
  WHERE api_idempotencyrecord.created_at < now() - interval '24 hours' RETURNING id AS idem \\gset
INSERT INTO cases_case (id, number, query_password, kind, applicant_name, applicant_code,
  applicant_mobile, channel, status, outcome, form_data, declaration_at, received_at,
  round_received_at, correction_round, correction_due, deemed_accepted, due_provisional,
  suspended_days, extension_days, lenient_commitment, not_accepted_reason, reason_text,
  competent_organ, delivery_method, tracking_number, created_at, applicant_id, department_id,
  division_id, item_id, version_id, submitted_by_client_id)
VALUES (md5(:r || 'c' || :client_id)::uuid,
  :division || to_char((now() AT TIME ZONE 'Asia/Shanghai')::date, 'YYYYMMDD') || lpad(:last::text, 5, '0'),
  'ABCD1234', 'new', '申请人甲', :applicant_code, :applicant_mobile, 'api', 'received', '',
  '{"applicant_name": "申请人甲", "contact": "申请人甲", "phone": "13895000001", "source": "黄河", "volume": "12.5"}',
  now(), now(), now(), 0, current_date + 7, false, false, 0, 0, '', '', '', '', '', '', now(),
  :applicant, :department, :division, :item, :version, :sysclient);
INSERT INTO cases_casematerial (id, file, name, content_type, size, sha256, uploaded_at, round,
  scanned, case_id, requirement_id) VALUES
  (gen_random_uuid(), 'materials/2026/12/' || md5(random()::text) || '.pdf', 'scan.pdf', 'application/pdf', 204800, decode(md5(random()::text) || md5(random()::text), 'hex'), now(), 0, false, md5(:r || 'c' || :client_id)::uuid, :m1),
  (gen_random_uuid(), 'materials/2026/12/' || md5(random()::text) || '.pdf', 'scan.pdf', 'application/pdf', 204800, decode(md5(random()::text) || md5(random()::text), 'hex'), now(), 0, false, md5(:r || 'c' || :client_id)::uuid, :m2),
  (gen_random_uuid(), 'materials/2026/12/' || md5(random()::text) || '.jpg', 'photo.jpg', 'image/jpeg', 204800, decode(md5(random()::text) || md5(random()::text), 'hex'), now(), 0, false, md5(:r || 'c' || :client_id)::uuid, :m3);
INSERT INTO cases_caseevent (at, kind, text, public, breach, case_id, department_id)
  VALUES (now(), 'received', '已收件（系统接入），等待预审', true, '', md5(:r || 'c' || :client_id)::uuid, :department);
INSERT INTO stats_tally (day, division_id, department_id, item_id, measure, step, bucket, n,
  compacted)
  VALUES ((now() AT TIME ZONE 'Asia/Shanghai')::date, :division, :department, :item, 'received', '', 0, 1, false);
INSERT INTO audit_auditstream (name, head_seq, head_hash, checkpointed_seq, division)
  VALUES ('case:' || md5(:r || 'c' || :client_id)::uuid, 5, md5(random()::text) || md5(random()::text), 0, :division);
INSERT INTO audit_auditrecord (stream, seq, at, actor_label, action, object_type, object_id,
  outcome, detail, alg, hash, client_id)
  SELECT 'case:' || md5(:r || 'c' || :client_id)::uuid, s, now(), 'client:bench',
         (ARRAY['case.draft', 'case.material.add', 'case.material.add', 'case.material.add', 'case.submit'])[s],
         'case', md5(:r || 'c' || :client_id)::uuid::text, 'success',
         CASE WHEN s IN (2, 3, 4) THEN '{"material":"申请书","number":"640000202612060000' || s || '","sha256":"' || md5(random()::text) || md5(random()::text) || '"}'
              ELSE '{"channel":"api","number":"640000202612060000' || s || '"}' END::jsonb,
         'sha256', decode(md5(random()::text) || md5(random()::text), 'hex'), :sysclient
  FROM generate_series(1, 5) s;
INSERT INTO exchange_event (type, subject, division, department, time, data)
  VALUES ('case.submit', 'cases/' || md5(:r || 'c' || :client_id)::uuid, :division, :department, now(),
  ('{"case": "' || md5(:r || 'c' || :client_id)::uuid || '", "number": "640000202612060000", "status": "received", "outcome": null, "item": "640000-SLT-001", "item_version": 1, "department": "nx-slt", "division": "' || :division || '", "channel": "api", "received_at": "' || now() || '", "accepted_at": null, "statutory_due": null, "promised_due": null, "action": "case.submit"}')::jsonb);
INSERT INTO notify_message (title, body, created_at, case_id, user_id)
  VALUES ('申请已收件（640000202612060000）', '您申请的事项已收件，办件编号 640000202612060000，查询密码 ABCD1234。', now(), md5(:r || 'c' || :client_id)::uuid, :applicant);
INSERT INTO notify_outbox (channel, "to", subject, body, created_at, attempts, last_error)
  VALUES ('sms', :applicant_mobile, '', '【宁夏网上审批】申请已收件（640000202612060000）：您申请的事项已收件，办件编号 640000202612060000，查询密码 ABCD1234。', now(), 0, ''),
         ('email', :applicant_email, '宁夏网上审批平台：申请已收件（640000202612060000）', '您申请的事项已收件，办件编号 640000202612060000，查询密码 ABCD1234。', now(), 0, '');
UPDATE api_idempotencyrecord SET status_code = 201,
  response_body = '{"id": "' || md5(:r || 'c' || :client_id)::uuid || '", "number": "640000202612060000"}'
  WHERE id = :idem;
COMMIT;
"""

# The FAQ search (issue 22): the app's statements (shenpi.search.terms.title_first) for its
# first page of 20 — the FAQ whose question holds every word, newest first, then, when they
# do not fill the page, those whose answer completes them — each part looked for among the
# newest 2,000 FAQ first (FAQ_WINDOW: their ids) and, when those hold too few, through the
# GIN index (FAQ_SEARCH_SQL ordered and limited); rows fetched with the columns the
# answer shows.
FAQ_COLUMNS = """
SELECT f.id, f.title, f.answer, f.status, i.code AS item, d.code AS department,
       f.published_at, (f.item_id IS NOT NULL AND f.version_id IS NOT NULL
                        AND i.current_id IS DISTINCT FROM f.version_id) AS needs_review
FROM consult_faq f
JOIN accounts_department d ON d.id = f.department_id
LEFT JOIN catalog_item i ON i.id = f.item_id
"""
FAQ_SEARCH_SQL = (
    FAQ_COLUMNS
    + """WHERE f.status = 'published' AND {where}
ORDER BY f.published_at DESC, f.id DESC
LIMIT {limit}
"""
)
FAQ_BY_IDS = FAQ_COLUMNS + "WHERE f.status = 'published' AND f.id = ANY(%s)"
FAQ_IN_TITLE = "f.title_vector @@ to_tsquery('simple', {tsq})"
FAQ_ELSEWHERE = (
    "f.search_vector @@ to_tsquery('simple', {tsq}) "
    "AND NOT f.title_vector @@ to_tsquery('simple', {tsq})"
)
FAQ_WINDOW = """
SELECT w.id FROM (
    SELECT f.id, f.published_at, f.title_vector AS tv{more}
    FROM consult_faq f WHERE f.status = 'published'
    ORDER BY f.published_at DESC, f.id DESC LIMIT 2000) w
WHERE {where}
ORDER BY w.published_at DESC, w.id DESC
LIMIT {limit}
"""
FAQ_WINDOW_IN_TITLE = "w.tv @@ to_tsquery('simple', {tsq})"
FAQ_WINDOW_ELSEWHERE = (
    "w.sv @@ to_tsquery('simple', {tsq}) AND NOT w.tv @@ to_tsquery('simple', {tsq})"
)


# The display board's three queries, as the app's board API runs them (shenpi.hall.selectors
# .hall_by_code and .board): the floor's view and the raw timing run these.
HALL_BOARD_SQL = [
    "SELECT h.id, h.centre_id, h.am_opens, h.am_closes, h.pm_opens, h.pm_closes, "
    "h.bookings_per_window, h.minutes_per_service, h.wait_yellow_minutes, h.wait_red_minutes, "
    "h.pause_yellow_minutes, h.pause_red_minutes, h.qr_key, d.id, d.code, d.name, d.short_name, "
    "d.kind_id, d.division_id, d.phone, d.complaint_phone, d.address, d.is_active, v.code, "
    "v.name, v.level, v.parent_id, v.path FROM hall_hall h "
    "JOIN accounts_department d ON h.centre_id = d.id "
    "JOIN accounts_division v ON d.division_id = v.code WHERE d.code = %(code)s "
    "ORDER BY d.code LIMIT 1",
    "SELECT t.label, w.number, w.name, t.status, t.announced_at, t.calls FROM hall_ticket t "
    "LEFT JOIN accounts_window w ON t.window_id = w.id "
    "WHERE t.announced_at IS NOT NULL AND t.day = %(day)s AND t.hall_id = %(hall)s "
    "ORDER BY 5 DESC LIMIT 8",
    "SELECT g.letter, count(t.id) FROM hall_ticket t JOIN hall_itemgroup g ON t.group_id = g.id "
    "WHERE t.day = %(day)s AND t.status = 'waiting' AND t.hall_id = %(hall)s GROUP BY 1",
]
