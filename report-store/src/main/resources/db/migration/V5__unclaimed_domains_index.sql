-- The list of policy-domains that no registered domain claims (DomainQueries.unclaimed, part of
-- GET /api/v1/domains): per policy-domain its reports, failed sessions and last report. Every column it
-- reads is here, in policy_domain order, so it is an index-only scan grouped without a sort. Without it each
-- unclaimed policy cost a heap fetch: with a million reports, 19,860 pages for 19,860 policies, 31 ms of the
-- list's time (docs/BENCHMARKS.md, report-store). Partial: only unclaimed policies, a few percent, are in it.
create index report_policy_unclaimed_domains on report_policy (policy_domain, report_id)
    include (start_time, failed_sessions) where domain_id is null and policy_domain is not null;
