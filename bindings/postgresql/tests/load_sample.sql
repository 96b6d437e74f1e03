-- load_sample.sql -- tables for the sample data (examples/data), named and
-- typed as a product would keep them; run_tests.sh fills them with \copy.
SET TimeZone = 'UTC';
CREATE TABLE metrics (metric text, dimension text, direction text, min float8, max float8,
                      span float8, unit text);
CREATE TABLE accounts (account text, tier text, value float8, health float8, at_risk boolean,
                       renewal date, migrated date, churned boolean);
CREATE TABLE importance (scope text, whose text, tangibles float8, reliability float8,
                         responsiveness float8, assurance float8, empathy float8);
CREATE TABLE efforts (gap text, touchpoint text, metric text, effort float8);
CREATE TABLE plans (scope text, touchpoint text, metric text, gap text, owner text,
                    deadline date, target float8, baseline_from date, baseline_to date);
-- value is text: one row withdraws a promise (value 'withdrawn').
CREATE TABLE observations ("time" timestamptz, account text, tier text, touchpoint text,
                           metric text, viewpoint text, value text, team text, driver text,
                           respondent text);
