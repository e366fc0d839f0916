-- The people who sign in to the dashboard (form sign-in through quarkus-security-jpa-reactive).
-- password: a bcrypt hash in Modular Crypt Format ($2a$...), never the password itself.
-- role: admin (everything) or viewer (reads only).
create table dashboard_user (
    id          bigint generated always as identity primary key,
    username    text        not null,
    password    text        not null,
    role        text        not null check (role in ('admin', 'viewer')),
    created_at  timestamptz not null default now()
);
-- Sign-in looks a user up by name; the first admin from configuration is upserted on it.
create unique index dashboard_user_username on dashboard_user (username);
