-- Alert claims: a fencing token per claim, one open alert per domain, and the history across domains.

-- A claim's fencing token, new on every claim. An alert row is reused by the next claim after a
-- failed send or an expired lease, so the row id alone cannot tell the sweep that holds the claim now
-- from one whose lease expired: marking sent, failed or no-recipients must present this token.
alter table alert add column claim_token uuid;

-- At most one open alert (claimed, or failed and waiting for its retry) per domain: a claim reuses it
-- rather than adding another. The claim check reads it (with the domain row locked).
create unique index alert_open on alert (domain_id) where status in ('claimed', 'failed');

-- The alert history of all domains, newest first (GET /api/v1/alerts without a domain).
create index alert_claimed on alert (claimed_at desc, id desc);
