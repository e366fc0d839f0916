-- Session totals per registered domain and report period, so that the domain list reads a few rows per
-- domain instead of every policy of the last 30 days (with a million reports that was half a million rows
-- per request; docs/BENCHMARKS.md, report-store).
--
-- One row per (domain, start_time): start_time is report_policy.start_time, the report period's start.
-- Senders report UTC days (RFC 8460 §4.1 asks for 00:00 to 24:00 UTC), so that is one row per domain and
-- day in practice, and the 7- and 30-day windows, which start at an instant, stay exact: a period is in a
-- window or not, as its policies are. A sender that starts its periods at other times only adds rows.
--
-- Kept by statement-level triggers on report_policy, in the writing transaction, whoever writes: storing a
-- report (insert), registering or deleting a domain or organisation (updates of domain_id, see
-- DomainClaims), deleting reports (delete, also through the cascade from report) and truncate. A row whose
-- policies drop to zero is deleted; a domain's rows go with the domain. Concurrent reports for the same
-- domain and period queue on that row for the rest of their (single-statement) transaction; each
-- statement locks its rows in (domain_id, start_time) order, so they cannot deadlock.

create table domain_sessions (
    domain_id            bigint      not null references domain (id) on delete cascade,
    start_time           timestamptz not null,
    policies             bigint      not null,  -- report_policy rows counted here
    successful_sessions  bigint      not null,
    failed_sessions      bigint      not null,
    -- Domain status (7- and 30-day sums, last report, last failure) and sessions by day: one domain's
    -- periods in time order. No INCLUDE columns, so that adding to the sums stays a HOT update.
    primary key (domain_id, start_time)
) with (fillfactor = 70);  -- every stored report updates a row: room for HOT updates in the page

create function domain_sessions_apply() returns trigger language plpgsql as $$
begin
    -- The change in each (domain, period): new rows count +1, old rows -1, unclaimed rows not at all.
    if tg_op = 'INSERT' then
        insert into domain_sessions as s (domain_id, start_time, policies, successful_sessions, failed_sessions)
        select domain_id, start_time, count(*), sum(successful_sessions), sum(failed_sessions)
        from new_rows where domain_id is not null
        group by domain_id, start_time
        order by domain_id, start_time
        on conflict (domain_id, start_time) do update
            set policies = s.policies + excluded.policies,
                successful_sessions = s.successful_sessions + excluded.successful_sessions,
                failed_sessions = s.failed_sessions + excluded.failed_sessions;
        return null;
    end if;

    if tg_op = 'UPDATE' then
        insert into domain_sessions as s (domain_id, start_time, policies, successful_sessions, failed_sessions)
        select domain_id, start_time, sum(policies), sum(successful), sum(failed)
        from (select domain_id, start_time, 1 as policies, successful_sessions as successful,
                  failed_sessions as failed from new_rows
              union all
              select domain_id, start_time, -1, -successful_sessions, -failed_sessions from old_rows) change
        where domain_id is not null
        group by domain_id, start_time
        having sum(policies) <> 0 or sum(successful) <> 0 or sum(failed) <> 0
        order by domain_id, start_time
        on conflict (domain_id, start_time) do update
            set policies = s.policies + excluded.policies,
                successful_sessions = s.successful_sessions + excluded.successful_sessions,
                failed_sessions = s.failed_sessions + excluded.failed_sessions;
    else -- DELETE
        insert into domain_sessions as s (domain_id, start_time, policies, successful_sessions, failed_sessions)
        select domain_id, start_time, -count(*), -sum(successful_sessions), -sum(failed_sessions)
        from old_rows where domain_id is not null
        group by domain_id, start_time
        order by domain_id, start_time
        on conflict (domain_id, start_time) do update
            set policies = s.policies + excluded.policies,
                successful_sessions = s.successful_sessions + excluded.successful_sessions,
                failed_sessions = s.failed_sessions + excluded.failed_sessions;
    end if;
    delete from domain_sessions s
    using (select distinct domain_id, start_time from old_rows where domain_id is not null) o
    where s.domain_id = o.domain_id and s.start_time = o.start_time and s.policies = 0;
    return null;
end $$;

create function domain_sessions_clear() returns trigger language plpgsql as $$
begin
    delete from domain_sessions;
    return null;
end $$;

create trigger report_policy_inserted after insert on report_policy
    referencing new table as new_rows for each statement execute function domain_sessions_apply();
create trigger report_policy_updated after update on report_policy
    referencing old table as old_rows new table as new_rows for each statement execute function domain_sessions_apply();
create trigger report_policy_deleted after delete on report_policy
    referencing old table as old_rows for each statement execute function domain_sessions_apply();
create trigger report_policy_truncated after truncate on report_policy
    for each statement execute function domain_sessions_clear();

-- The reports stored so far. The triggers above already hold their lock on report_policy (taken by
-- CREATE TRIGGER), so no report can be stored between this sum and the commit.
insert into domain_sessions (domain_id, start_time, policies, successful_sessions, failed_sessions)
select domain_id, start_time, count(*), sum(successful_sessions), sum(failed_sessions)
from report_policy where domain_id is not null
group by domain_id, start_time;
