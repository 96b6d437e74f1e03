/*
 * pg_errors -- libservgap failures raised as PostgreSQL errors: a status
 * code becomes a SQLSTATE, a stopped call becomes the cancel that stopped
 * it, and a CSV import's "NAME:LINE:COLUMN: reason" becomes a message that
 * names the row (with its values) and the field at fault, since the rows
 * came from SQL, where lines and columns of a text nobody sees mean
 * nothing.
 */
#include "servgap_pg.h"

#include "miscadmin.h"

static int sqlstate_of(int rc)
{
    switch (rc) {
    case SERVGAP_EINVAL:
        return ERRCODE_INVALID_PARAMETER_VALUE;
    case SERVGAP_ERANGE:
        return ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE;
    case SERVGAP_ENOTFOUND:
        return ERRCODE_UNDEFINED_OBJECT;
    case SERVGAP_ECONFLICT:
        return ERRCODE_INTEGRITY_CONSTRAINT_VIOLATION;
    case SERVGAP_ENOMEM:
        return ERRCODE_OUT_OF_MEMORY;
    case SERVGAP_ELIMIT:
        return ERRCODE_PROGRAM_LIMIT_EXCEEDED;
    case SERVGAP_EIO:
        return ERRCODE_IO_ERROR;
    case SERVGAP_EFORMAT:
        return ERRCODE_INVALID_TEXT_REPRESENTATION;
    case SERVGAP_ECORRUPT:
        return ERRCODE_DATA_CORRUPTED;
    case SERVGAP_EINTERRUPTED:
        return ERRCODE_QUERY_CANCELED;
    default:
        return ERRCODE_INTERNAL_ERROR;
    }
}

/* A stopped call: the interrupt that stopped it is pending, and raising
 * it gives the error a cancel or a timeout always gives. */
static pg_noreturn void raise_interrupted(const char *what)
{
    CHECK_FOR_INTERRUPTS();
    ereport(ERROR, (errcode(ERRCODE_QUERY_CANCELED), errmsg("servgap: %s was interrupted", what)));
}

void pgsg_raise(pgsg_handle *h, int rc, const char *what)
{
    char *msg;

    if (rc == SERVGAP_EINTERRUPTED)
        raise_interrupted(what);
    msg = pstrdup(h != NULL ? servgap_errmsg(h->ctx) : servgap_strerror(rc));
    ereport(ERROR, (errcode(sqlstate_of(rc)), errmsg("servgap: %s: %s", what, msg)));
}

/* The position in "NAME:LINE:COLUMN: reason" that follows name. */
static bool parse_position(const char *msg, const char *name, long *line, long *col,
                           const char **reason)
{
    size_t n = strlen(name);
    char *end;

    if (strncmp(msg, name, n) != 0 || msg[n] != ':')
        return false;
    *line = strtol(msg + n + 1, &end, 10);
    if (*end != ':' || *line < 1)
        return false;
    *col = strtol(end + 1, &end, 10);
    if (strncmp(end, ": ", 2) != 0)
        return false;
    *reason = end + 2;
    return true;
}

/* Line number line (1-based) of data: its start and length. */
static bool find_line(const char *data, size_t len, long line, const char **start, size_t *n)
{
    const char *p = data, *end = data + len, *nl;

    for (long k = 1; k < line; k++) {
        nl = memchr(p, '\n', end - p);
        if (nl == NULL)
            return false;
        p = nl + 1;
    }
    nl = memchr(p, '\n', end - p);
    *start = p;
    *n = (nl != NULL ? nl : end) - p;
    return true;
}

#define MAX_FIELDS 64

char *pgsg_describe_row(const char *hdr, size_t hn, const char *line, size_t n, int col,
                        const char **field)
{
    char *names[MAX_FIELDS], *values[MAX_FIELDS];
    int at = -1, nh, nv;
    StringInfoData s;

    nh = pgsg_csv_split(hdr, hn, names, MAX_FIELDS, 0, &at);
    nv = pgsg_csv_split(line, n, values, MAX_FIELDS, col, &at);
    *field = at >= 0 && at < nh ? names[at] : NULL;
    initStringInfo(&s);
    appendStringInfoChar(&s, '(');
    for (int k = 0; k < nv && k < nh; k++) {
        if (values[k][0] == '\0')
            continue;
        appendStringInfo(&s, "%s%s '%s'", s.len > 1 ? ", " : "", names[k], values[k]);
    }
    appendStringInfoChar(&s, ')');
    return s.data;
}

/* The error of a failed import of data as what. */
static pg_noreturn void raise_import(pgsg_handle *h, int rc, const char *what, const char *data,
                                     size_t len)
{
    char *msg = pstrdup(servgap_errmsg(h->ctx));
    const char *reason, *line, *hdr, *field = NULL;
    long lineno, col;
    size_t n, hn;
    char *row;

    if (rc == SERVGAP_EINTERRUPTED)
        raise_interrupted(what);
    if (!parse_position(msg, what, &lineno, &col, &reason) || lineno < 2 ||
        !find_line(data, len, lineno, &line, &n))
        ereport(ERROR, (errcode(sqlstate_of(rc)), errmsg("servgap: %s: %s", what, msg)));
    find_line(data, len, 1, &hdr, &hn);
    row = pgsg_describe_row(hdr, hn, line, n, (int)col, &field);
    ereport(ERROR, (errcode(sqlstate_of(rc)),
                    errmsg("servgap: %s row %s: %s%s%s%s", what, row, field ? "field " : "",
                           field ? field : "", field ? ": " : "", reason)));
}

void pgsg_import(pgsg_handle *h, int32 table, const char *what, const char *data, size_t len)
{
    servgap_import_report rep;
    int rc;

    memset(&rep, 0, sizeof rep);
    rep.size = sizeof rep;
    rc = servgap_import_csv_buffer(h->ctx, table, what, data, len, 0, &rep);
    if (rc != SERVGAP_OK)
        raise_import(h, rc, what, data, len);
}
