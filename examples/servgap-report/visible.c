/*
 * visible.c -- text from the data made safe to print on a terminal.
 *
 * Names, units and messages come from CSV files and snapshots that anyone
 * may have written. The library keeps them as given, control characters
 * included, so a name holding ESC [ 2 J would clear the reader's screen,
 * one holding ESC ] 0 ; would retitle the window, and a CR would let it
 * overwrite the report's own words. Every data-derived string is therefore
 * printed through visible(): each control character becomes an escape that
 * shows which byte it was, and the backslash that starts an escape is
 * doubled, so the printed text maps back to exactly one string.
 *
 *   C0 controls U+0000..U+001F, DEL U+007F   \x1b  (the byte, 2 hex digits)
 *   C1 controls U+0080..U+009F               \u009b (the code point)
 *   a byte that is not well-formed UTF-8     \xff  (the byte)
 *   the backslash                            \\
 *
 * A C1 control is written by its code point and not its two bytes, since
 * it is a character; \x80..\xff therefore always means a stray byte, which
 * an 8-bit terminal could also take for a control. Everything else,
 * including any other non-ASCII character, prints as itself.
 */
#define _POSIX_C_SOURCE 200809L
#include <string.h>

#include "report.h"

/* How many bytes the well-formed UTF-8 sequence at s takes (1..4), or 0
 * when s does not start one: a stray continuation byte, an overlong form,
 * a surrogate, a code point above U+10FFFF or a sequence cut short (s is
 * NUL-terminated, and a NUL is never a continuation byte, so reading stops
 * at the end). */
static size_t utf8_len(const unsigned char *s)
{
    unsigned c = s[0];
    size_t n = c < 0x80                 ? 1
               : c >= 0xc2 && c <= 0xdf ? 2
               : c >= 0xe0 && c <= 0xef ? 3
               : c >= 0xf0 && c <= 0xf4 ? 4
                                        : 0;
    for (size_t i = 1; i < n; i++)
        if ((s[i] & 0xc0) != 0x80)
            return 0;
    if ((c == 0xe0 && s[1] < 0xa0) || (c == 0xed && s[1] > 0x9f) || (c == 0xf0 && s[1] < 0x90) ||
        (c == 0xf4 && s[1] > 0x8f))
        return 0;
    return n;
}

size_t control_len(const char *s)
{
    const unsigned char *u = (const unsigned char *)s;
    if (u[0] < 0x20 || u[0] == 0x7f)
        return 1;
    if (u[0] == 0xc2 && u[1] >= 0x80 && u[1] <= 0x9f)
        return 2;
    return 0;
}

/* The first character of s (not empty) as it is printed, into out; returns
 * how many bytes of s it stands for. */
static size_t visible_char(const char *s, char out[8])
{
    const unsigned char *u = (const unsigned char *)s;
    size_t n = utf8_len(u), c = control_len(s);
    if (n == 0 || c == 1) {
        snprintf(out, 8, "\\x%02x", u[0]);
        return 1;
    }
    if (c == 2) {
        snprintf(out, 8, "\\u%04x", (unsigned)u[1]);
        return 2;
    }
    if (u[0] == '\\') {
        memcpy(out, "\\\\", 3);
        return 1;
    }
    memcpy(out, s, n);
    out[n] = '\0';
    return n;
}

const char *visible(const char *s, char *buf, size_t cap)
{
    size_t o = 0;
    char ch[8];
    if (cap == 0)
        return "";
    buf[0] = '\0';
    while (*s) {
        size_t used = visible_char(s, ch), n = strlen(ch);
        if (o + n >= cap)
            break; /* cut between characters, never inside one */
        memcpy(buf + o, ch, n + 1);
        o += n;
        s += used;
    }
    return buf;
}

void put_visible(FILE *f, const char *s)
{
    char ch[8];
    while (*s) {
        s += visible_char(s, ch);
        fputs(ch, f);
    }
}

/* Write s with the five special characters of XML and HTML escaped. Names arrive made
 * visible; any control character left (C0 ones are not allowed in XML 1.0,
 * DEL and C1 ones would still reach a terminal that shows the file) becomes
 * '?'. */
void put_markup(FILE *f, const char *s)
{
    for (; *s; s++) {
        unsigned char ch = (unsigned char)*s;
        size_t control = control_len(s);
        if (control) {
            fputc('?', f);
            s += control - 1;
            continue;
        }
        switch (ch) {
        case '&':
            fputs("&amp;", f);
            break;
        case '<':
            fputs("&lt;", f);
            break;
        case '>':
            fputs("&gt;", f);
            break;
        case '"':
            fputs("&quot;", f);
            break;
        case '\'':
            fputs("&#39;", f); /* HTML 4 lacks &apos; */
            break;
        default:
            fputc(ch, f);
        }
    }
}
