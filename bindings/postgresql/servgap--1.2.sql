-- servgap--1.2.sql -- the SQL objects of the extension servgap
-- (docs/postgresql.md documents each of them).
\echo Use "CREATE EXTENSION servgap" to load this file. \quit

-- The dictionary every state of servgap_agg starts from: the metrics
-- (required to record rows of metrics other than the five built-in ones)
-- and the accounts, each a query whose columns are named as the CSV
-- tables' (docs/formats.md): 'TABLE metrics', or any SELECT.
CREATE FUNCTION servgap_definitions(metrics text DEFAULT NULL, accounts text DEFAULT NULL)
RETURNS bytea
AS 'MODULE_PATHNAME', 'pgsg_definitions' LANGUAGE C STABLE PARALLEL SAFE;

-- The transition functions: the value as a number, or as text (a number,
-- or 'withdrawn' on a standard or promised row).
CREATE FUNCTION servgap_agg_sfunc(internal, bytea, timestamptz, text, text, text, text, text,
    float8)
RETURNS internal
AS 'MODULE_PATHNAME', 'pgsg_agg_sfunc' LANGUAGE C CALLED ON NULL INPUT PARALLEL SAFE;

CREATE FUNCTION servgap_agg_sfunc(internal, bytea, timestamptz, text, text, text, text, text,
    float8, text, text, text)
RETURNS internal
AS 'MODULE_PATHNAME', 'pgsg_agg_sfunc' LANGUAGE C CALLED ON NULL INPUT PARALLEL SAFE;

CREATE FUNCTION servgap_agg_sfunc(internal, bytea, timestamptz, text, text, text, text, text,
    text)
RETURNS internal
AS 'MODULE_PATHNAME', 'pgsg_agg_sfunc_text' LANGUAGE C CALLED ON NULL INPUT PARALLEL SAFE;

CREATE FUNCTION servgap_agg_sfunc(internal, bytea, timestamptz, text, text, text, text, text,
    text, text, text, text)
RETURNS internal
AS 'MODULE_PATHNAME', 'pgsg_agg_sfunc_text' LANGUAGE C CALLED ON NULL INPUT PARALLEL SAFE;

CREATE FUNCTION servgap_agg_combine(internal, internal)
RETURNS internal
AS 'MODULE_PATHNAME', 'pgsg_agg_combine' LANGUAGE C CALLED ON NULL INPUT PARALLEL SAFE;

CREATE FUNCTION servgap_agg_serialize(internal)
RETURNS bytea
AS 'MODULE_PATHNAME', 'pgsg_agg_serialize' LANGUAGE C STRICT PARALLEL SAFE;

CREATE FUNCTION servgap_agg_deserialize(bytea, internal)
RETURNS internal
AS 'MODULE_PATHNAME', 'pgsg_agg_deserialize' LANGUAGE C STRICT PARALLEL SAFE;

CREATE FUNCTION servgap_agg_final(internal)
RETURNS bytea
AS 'MODULE_PATHNAME', 'pgsg_agg_final' LANGUAGE C CALLED ON NULL INPUT PARALLEL SAFE;

CREATE FUNCTION servgap_merge_sfunc(internal, bytea)
RETURNS internal
AS 'MODULE_PATHNAME', 'pgsg_merge_sfunc' LANGUAGE C CALLED ON NULL INPUT PARALLEL SAFE;

-- servgap_agg: observation rows in, the library's bytes of everything they
-- record out (NULL for no rows). Rows with a respondent become paired
-- responses when the aggregate finishes, whichever worker read them.
CREATE AGGREGATE servgap_agg(definitions bytea, "time" timestamptz, account text, tier text,
    touchpoint text, metric text, viewpoint text, value float8) (
    SFUNC = servgap_agg_sfunc,
    STYPE = internal,
    FINALFUNC = servgap_agg_final,
    FINALFUNC_MODIFY = READ_WRITE,
    COMBINEFUNC = servgap_agg_combine,
    SERIALFUNC = servgap_agg_serialize,
    DESERIALFUNC = servgap_agg_deserialize,
    PARALLEL = SAFE
);

CREATE AGGREGATE servgap_agg(definitions bytea, "time" timestamptz, account text, tier text,
    touchpoint text, metric text, viewpoint text, value float8,
    team text, driver text, respondent text) (
    SFUNC = servgap_agg_sfunc,
    STYPE = internal,
    FINALFUNC = servgap_agg_final,
    FINALFUNC_MODIFY = READ_WRITE,
    COMBINEFUNC = servgap_agg_combine,
    SERIALFUNC = servgap_agg_serialize,
    DESERIALFUNC = servgap_agg_deserialize,
    PARALLEL = SAFE
);

CREATE AGGREGATE servgap_agg(definitions bytea, "time" timestamptz, account text, tier text,
    touchpoint text, metric text, viewpoint text, value text) (
    SFUNC = servgap_agg_sfunc,
    STYPE = internal,
    FINALFUNC = servgap_agg_final,
    FINALFUNC_MODIFY = READ_WRITE,
    COMBINEFUNC = servgap_agg_combine,
    SERIALFUNC = servgap_agg_serialize,
    DESERIALFUNC = servgap_agg_deserialize,
    PARALLEL = SAFE
);

CREATE AGGREGATE servgap_agg(definitions bytea, "time" timestamptz, account text, tier text,
    touchpoint text, metric text, viewpoint text, value text,
    team text, driver text, respondent text) (
    SFUNC = servgap_agg_sfunc,
    STYPE = internal,
    FINALFUNC = servgap_agg_final,
    FINALFUNC_MODIFY = READ_WRITE,
    COMBINEFUNC = servgap_agg_combine,
    SERIALFUNC = servgap_agg_serialize,
    DESERIALFUNC = servgap_agg_deserialize,
    PARALLEL = SAFE
);

-- servgap_merge: results of servgap_agg (per partition, per day, per
-- worker) merged into one, as if one servgap_agg had read all their rows.
CREATE AGGREGATE servgap_merge(state bytea) (
    SFUNC = servgap_merge_sfunc,
    STYPE = internal,
    FINALFUNC = servgap_agg_final,
    FINALFUNC_MODIFY = READ_WRITE,
    COMBINEFUNC = servgap_agg_combine,
    SERIALFUNC = servgap_agg_serialize,
    DESERIALFUNC = servgap_agg_deserialize,
    PARALLEL = SAFE
);

-- The analysis of a state: definitions from queries, the window
-- [window_from, window_to) of whole UTC days, the analysis date now, and
-- options (a jsonb object).
CREATE FUNCTION servgap_report(state bytea,
    metrics text DEFAULT NULL, accounts text DEFAULT NULL, importance text DEFAULT NULL,
    efforts text DEFAULT NULL, plans text DEFAULT NULL,
    window_from date DEFAULT NULL, window_to date DEFAULT NULL, now date DEFAULT NULL,
    options jsonb DEFAULT NULL)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'pgsg_report' LANGUAGE C STABLE PARALLEL SAFE;

CREATE FUNCTION servgap_findings(state bytea,
    metrics text DEFAULT NULL, accounts text DEFAULT NULL, importance text DEFAULT NULL,
    efforts text DEFAULT NULL, plans text DEFAULT NULL,
    window_from date DEFAULT NULL, window_to date DEFAULT NULL, now date DEFAULT NULL,
    options jsonb DEFAULT NULL)
RETURNS TABLE(rank integer, scope_kind text, scope text, touchpoint text, metric text, dimension text,
    gap text, quadrant text, value float8, normalized float8, impact float8, effort float8,
    priority float8, size_term float8, value_share float8, frequency float8,
    affected_accounts bigint, affected_value float8, persistent boolean, no_standard boolean,
    windows integer, root_rank integer, members bigint, members_value float8)
AS 'MODULE_PATHNAME', 'pgsg_findings' LANGUAGE C STABLE PARALLEL SAFE ROWS 200;

CREATE FUNCTION servgap_cells(state bytea,
    metrics text DEFAULT NULL, accounts text DEFAULT NULL, importance text DEFAULT NULL,
    efforts text DEFAULT NULL, plans text DEFAULT NULL,
    window_from date DEFAULT NULL, window_to date DEFAULT NULL, now date DEFAULT NULL,
    options jsonb DEFAULT NULL)
RETURNS TABLE(scope_kind text, scope text, touchpoint text, metric text, dimension text, classification text,
    gap text, status text, value float8, normalized float8, lo float8, hi float8, df float8,
    n_up bigint, n_down bigint, paired boolean, significant boolean, sufficient boolean,
    no_standard boolean, declaration_changed boolean)
AS 'MODULE_PATHNAME', 'pgsg_cells' LANGUAGE C STABLE PARALLEL SAFE ROWS 10000;

CREATE FUNCTION servgap_triggers(state bytea,
    metrics text DEFAULT NULL, accounts text DEFAULT NULL, importance text DEFAULT NULL,
    efforts text DEFAULT NULL, plans text DEFAULT NULL,
    window_from date DEFAULT NULL, window_to date DEFAULT NULL, now date DEFAULT NULL,
    options jsonb DEFAULT NULL)
RETURNS TABLE(account text, kind text, date date, count bigint, before float8,
    after float8, statistic float8, lo float8, hi float8, n_before bigint, n_after bigint,
    detail text)
AS 'MODULE_PATHNAME', 'pgsg_triggers' LANGUAGE C STABLE PARALLEL SAFE ROWS 50;

CREATE FUNCTION servgap_risk(state bytea,
    metrics text DEFAULT NULL, accounts text DEFAULT NULL, importance text DEFAULT NULL,
    efforts text DEFAULT NULL, plans text DEFAULT NULL,
    window_from date DEFAULT NULL, window_to date DEFAULT NULL, now date DEFAULT NULL,
    options jsonb DEFAULT NULL)
RETURNS TABLE(account text, risk float8, windows integer, with_shortfall integer,
    churned boolean, value float8, findings bigint, worst_normalized float8)
AS 'MODULE_PATHNAME', 'pgsg_risk' LANGUAGE C STABLE PARALLEL SAFE ROWS 100;
