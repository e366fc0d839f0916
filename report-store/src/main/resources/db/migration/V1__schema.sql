-- TLSWatch report-store schema. Flyway owns it; Hibernate only validates it.
-- Every index names the query it serves.

create table organisation (
    id          bigint generated always as identity primary key,
    name        text        not null,
    created_at  timestamptz not null
);

create table domain (
    id                     bigint generated always as identity primary key,
    organisation_id        bigint      not null references organisation (id) on delete cascade,
    name                   text        not null,  -- lower-case A-label, no trailing dot
    tls_reporting_enabled  boolean     not null default true,
    created_at             timestamptz not null
);
-- Attribution (a policy-domain and each of its parents, by name) and uniqueness across organisations.
create unique index domain_name on domain (name);
-- An organisation's domains.
create index domain_organisation on domain (organisation_id);

create table alert_recipient (
    id               bigint generated always as identity primary key,
    organisation_id  bigint      not null references organisation (id) on delete cascade,
    address          text        not null,
    created_at       timestamptz not null
);
-- An organisation's recipients, and one row per address per organisation.
create unique index alert_recipient_address on alert_recipient (organisation_id, lower(address));

create table report (
    id                   bigint generated always as identity primary key,
    organization_name    text        not null,
    report_id            text        not null,
    contact_info         text,
    start_time           timestamptz not null,
    end_time             timestamptz not null,
    channel              text        not null check (channel in ('https', 'smtp')),
    received_at          timestamptz not null,
    remote_address       text,
    -- When it came by mail: TLS-Report-Submitter, the header block and DKIM d=/s= for a later check.
    submitter            text,
    mail_headers         text,
    dkim_signatures      jsonb,
    raw_payload          bytea       not null,  -- exactly as received (gzip or JSON)
    successful_sessions  bigint      not null,
    failed_sessions      bigint      not null,
    -- The storing transaction: failure events are read in xid order below the oldest running
    -- transaction (see FailureEventRepository), so an out-of-order commit is never skipped.
    created_xid          xid8        not null default pg_current_xact_id()
);
-- Idempotent storing: one report per (organisation, report-id) whatever the channel
-- (RFC8460-NOTES point 11: report-ids are only unique per sender).
create unique index report_identity on report (lower(organization_name), report_id);
-- The report list without a domain filter, newest period first, and its time-range filter.
create index report_start on report (start_time desc, id desc);
-- Failure events since a cursor (alert-service's sweep); only reports with failures matter.
create index report_failure_events on report (created_xid) where failed_sessions > 0;

create table report_policy (
    id                   bigint generated always as identity primary key,
    report_id            bigint      not null references report (id) on delete cascade,
    ordinal              int         not null,
    policy_type          text        not null,
    policy_domain        text,
    policy_strings       text[]      not null,
    mx_hosts             text[]      not null,
    successful_sessions  bigint      not null,
    failed_sessions      bigint      not null,
    domain_id            bigint      references domain (id) on delete set null,  -- null: unclaimed
    start_time           timestamptz not null  -- the report's, so per-domain time queries need no join
);
-- Domain status (7/30-day counts), a domain's breakdowns, reports filtered by domain.
create index report_policy_domain_time on report_policy (domain_id, start_time) include (successful_sessions, failed_sessions);
-- A domain's last failure without scanning its all-success rows.
create index report_policy_domain_failures on report_policy (domain_id, start_time) where failed_sessions > 0;
-- A report's policies (detail view).
create index report_policy_report on report_policy (report_id);
-- Claiming earlier unclaimed reports when a domain is registered: policy-domain equal to the new
-- domain, or ending in "." + it, found as a prefix of the reversed name. Also the unclaimed summary.
create index report_policy_unclaimed on report_policy (reverse(policy_domain) text_pattern_ops) where domain_id is null;

create table failure_detail (
    id                      bigint generated always as identity primary key,
    policy_id               bigint not null references report_policy (id) on delete cascade,
    result_type             text   not null,  -- as sent: the registry can grow
    sending_mta_ip          text,
    receiving_mx_hostname   text,
    receiving_mx_helo       text,
    receiving_ip            text,
    failed_session_count    bigint,
    additional_information  text,
    failure_reason_code     text
);
-- A domain's breakdowns and a report's details, reached through their policy.
create index failure_detail_policy on failure_detail (policy_id);

create table alert (
    id                bigint generated always as identity primary key,
    domain_id         bigint      not null references domain (id) on delete cascade,
    status            text        not null check (status in ('claimed', 'sent', 'failed', 'no-recipients')),
    claimed_at        timestamptz not null,
    lease_expires_at  timestamptz not null,  -- a claim neither sent nor failed by then is released
    sent_at           timestamptz,
    recipients        text[],
    message_id        text,
    attempts          int         not null default 0,  -- failed sends so far
    retry_at          timestamptz,                  -- after a failed send: no new claim before this
    last_error        text,
    failed_sessions   bigint
);
-- The claim check (latest alerts of a domain) and a domain's alert history.
create index alert_domain_claimed on alert (domain_id, claimed_at desc);

-- Durable, monotonic cursors of consumers such as alert-service's sweep.
create table consumer_cursor (
    name        text primary key,
    position    bigint      not null,
    updated_at  timestamptz not null
);
