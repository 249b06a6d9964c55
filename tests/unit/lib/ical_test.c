/*
 * The iCalendar writer: exact output, TEXT escaping, folding at 75 octets without breaking UTF-8,
 * cancellations, UTC times, the buffer's ceiling and the inputs it must refuse.
 *
 * The line checks here (CRLF only, at most 75 octets, each physical line valid UTF-8 on its own)
 * are written independently of src/lib/ical.c, so a bug shared by writer and checker is unlikely.
 */
#include "../test_support.h"

#include "lib/ical.h"

#include <stdio.h>
#include <stdlib.h>

enum { BIG = 1 << 20 };

/* 2026-01-01T00:00:00Z, 2026-03-14T09:30:00Z and 11:00:00Z. */
#define STAMP 1767225600
#define START 1773480600
#define END 1773486000

static struct ical_event basic_event(void)
{
    return (struct ical_event){
        .uid = "event-42@npq",
        .sequence = 1,
        .stamp = STAMP,
        .start = START,
        .end = END,
        .summary = "Leading teaching: session 3",
    };
}

/* Renders a calendar that must succeed; the caller frees b. */
static const char *render(struct buf *b, const char *name, const struct ical_event *events, size_t count)
{
    buf_init(b, BIG);
    const struct ical_calendar calendar = {.name = name};
    assert_true(ical_write_calendar(b, &calendar, events, count));
    assert_non_null(b->data);
    return b->data;
}

/* Length of the well-formed UTF-8 sequence at s within n bytes, 0 if none. Kept apart from ical.c. */
static size_t check_utf8_char(const unsigned char *s, size_t n)
{
    if (s[0] < 0x80)
        return 1;
    size_t len = (s[0] & 0xE0) == 0xC0 ? 2 : (s[0] & 0xF0) == 0xE0 ? 3 : (s[0] & 0xF8) == 0xF0 ? 4 : 0;
    if (len == 0 || len > n)
        return 0;
    for (size_t i = 1; i < len; i++)
        if ((s[i] & 0xC0) != 0x80)
            return 0;
    return len;
}

/*
 * Every line ends in CRLF, holds no other CR or LF, is at most 75 octets and is valid UTF-8 by
 * itself (a fold that split a character would leave a broken line on each side of it).
 */
static void assert_lines_valid(const char *text)
{
    const char *p = text;
    assert_true(*p != '\0');
    while (*p) {
        const char *crlf = strstr(p, "\r\n");
        assert_non_null(crlf);
        size_t len = (size_t)(crlf - p);
        assert_in_range(len, 1, 75);
        for (size_t i = 0; i < len;) {
            assert_true(p[i] != '\r' && p[i] != '\n');
            size_t n = check_utf8_char((const unsigned char *)p + i, len - i);
            assert_true(n > 0);
            i += n;
        }
        p = crlf + 2;
    }
}

/* RFC 5545 3.1: a CRLF followed by one space is removed. Returns a malloc'd string. */
static char *unfold(const char *text)
{
    size_t len = strlen(text);
    char *out = malloc(len + 1);
    assert_non_null(out);
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        if (text[i] == '\r' && text[i + 1] == '\n' && text[i + 2] == ' ') {
            i += 2;
            continue;
        }
        out[n++] = text[i];
    }
    out[n] = '\0';
    return out;
}

/* The physical line starting at offset start: its length without CRLF. */
static size_t line_length(const char *text, size_t start)
{
    const char *crlf = strstr(text + start, "\r\n");
    assert_non_null(crlf);
    return (size_t)(crlf - (text + start));
}

static void one_event_exact_output(void **state)
{
    (void)state;
    struct ical_event e = basic_event();
    e.description = "Bring your portfolio.\nRoom opens 09:15.";
    e.location = "Room 4, Town Hall; Leeds";
    e.url = "https://meet.example.org/abc?x=1;y=2,z";
    e.organizer_name = "Ada \"Coach\" Lovelace";
    e.organizer_email = "ada@example.org";
    struct buf b;
    const char *text = render(&b, "My NPQ, sessions", &e, 1);
    assert_string_equal(text, "BEGIN:VCALENDAR\r\n"
                              "PRODID:-//npq//NPQ programmes//EN\r\n"
                              "VERSION:2.0\r\n"
                              "CALSCALE:GREGORIAN\r\n"
                              "METHOD:PUBLISH\r\n"
                              "X-WR-CALNAME:My NPQ\\, sessions\r\n"
                              "BEGIN:VEVENT\r\n"
                              "DTSTAMP:20260101T000000Z\r\n"
                              "UID:event-42@npq\r\n"
                              "SEQUENCE:1\r\n"
                              "STATUS:CONFIRMED\r\n"
                              "DTSTART:20260314T093000Z\r\n"
                              "DTEND:20260314T110000Z\r\n"
                              "SUMMARY:Leading teaching: session 3\r\n"
                              "DESCRIPTION:Bring your portfolio.\\nRoom opens 09:15.\r\n"
                              "LOCATION:Room 4\\, Town Hall\\; Leeds\r\n"
                              "URL:https://meet.example.org/abc?x=1;y=2,z\r\n"
                              "ORGANIZER;CN=\"Ada Coach Lovelace\":mailto:ada@example.org\r\n"
                              "END:VEVENT\r\n"
                              "END:VCALENDAR\r\n");
    assert_lines_valid(text);
    buf_free(&b);
}

static void optional_fields_left_out(void **state)
{
    (void)state;
    struct ical_event e = basic_event();
    e.description = ""; /* empty counts as absent: "DESCRIPTION:" says nothing */
    e.organizer_name = "Nobody";
    struct buf b;
    const char *text = render(&b, NULL, &e, 1);
    assert_string_equal(text, "BEGIN:VCALENDAR\r\n"
                              "PRODID:-//npq//NPQ programmes//EN\r\n"
                              "VERSION:2.0\r\n"
                              "CALSCALE:GREGORIAN\r\n"
                              "METHOD:PUBLISH\r\n"
                              "BEGIN:VEVENT\r\n"
                              "DTSTAMP:20260101T000000Z\r\n"
                              "UID:event-42@npq\r\n"
                              "SEQUENCE:1\r\n"
                              "STATUS:CONFIRMED\r\n"
                              "DTSTART:20260314T093000Z\r\n"
                              "DTEND:20260314T110000Z\r\n"
                              "SUMMARY:Leading teaching: session 3\r\n"
                              "END:VEVENT\r\n"
                              "END:VCALENDAR\r\n");
    buf_free(&b);
}

static void text_special_characters_escaped(void **state)
{
    (void)state;
    struct ical_event e = basic_event();
    /* backslash, semicolon, comma, LF, CRLF, lone CR, other controls dropped, tab and colon kept */
    e.summary = "a\\b;c,d\ne\r\nf\rg\x01h\x7fi\tj:k";
    e.location = "\\\\;;,,";
    e.description = "line one\r\nline two\n";
    struct buf b;
    const char *text = render(&b, NULL, &e, 1);
    assert_non_null(strstr(text, "\r\nSUMMARY:a\\\\b\\;c\\,d\\ne\\nfghi\tj:k\r\n"));
    assert_non_null(strstr(text, "\r\nLOCATION:\\\\\\\\\\;\\;\\,\\,\r\n"));
    assert_non_null(strstr(text, "\r\nDESCRIPTION:line one\\nline two\\n\r\n"));
    assert_lines_valid(text);
    buf_free(&b);
}

static void invalid_utf8_in_text_replaced(void **state)
{
    (void)state;
    struct ical_event e = basic_event();
    e.summary = "caf\xc3\xa9 \xff \xc3( \xed\xa0\x80";
    struct buf b;
    const char *text = render(&b, NULL, &e, 1);
    /* é kept; a stray byte, a truncated sequence and a UTF-16 surrogate each become U+FFFD */
    assert_non_null(strstr(text, "\r\nSUMMARY:caf\xc3\xa9 \xef\xbf\xbd \xef\xbf\xbd( "
                                 "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\r\n"));
    assert_lines_valid(text);
    buf_free(&b);
}

static void long_ascii_line_folded(void **state)
{
    (void)state;
    char description[201];
    for (size_t i = 0; i < 200; i++)
        description[i] = (char)('0' + i % 10);
    description[200] = '\0';
    struct ical_event e = basic_event();
    e.description = description;
    struct buf b;
    const char *text = render(&b, NULL, &e, 1);
    assert_lines_valid(text);

    /* "DESCRIPTION:" + 63 octets, then " " + 74 twice... the last holds the remaining 63. */
    const char *line = strstr(text, "\r\nDESCRIPTION:");
    assert_non_null(line);
    size_t at = (size_t)(line - text) + 2;
    assert_int_equal(line_length(text, at), 75);
    at += 77;
    assert_int_equal(text[at], ' ');
    assert_int_equal(line_length(text, at), 75);
    at += 77;
    assert_int_equal(text[at], ' ');
    assert_int_equal(line_length(text, at), 64);

    char *unfolded = unfold(text);
    char expected[240];
    snprintf(expected, sizeof(expected), "\r\nDESCRIPTION:%s\r\nEND:VEVENT\r\n", description);
    assert_non_null(strstr(unfolded, expected));
    free(unfolded);
    buf_free(&b);
}

static void long_multibyte_line_folded_between_characters(void **state)
{
    (void)state;
    /* 100 × "é" (2 octets): 33 fit after "SUMMARY:" (74 octets; a 34th would make 76). */
    char summary[201];
    for (size_t i = 0; i < 100; i++) {
        summary[2 * i] = '\xc3';
        summary[2 * i + 1] = '\xa9';
    }
    summary[200] = '\0';
    struct ical_event e = basic_event();
    e.summary = summary;
    /* 2-, 3- and 4-octet characters mixed, so folds land at every offset within a character. */
    char description[1024] = "";
    for (size_t i = 0; i < 40; i++)
        strncat(description, "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80x", sizeof(description) - strlen(description) - 1);
    e.description = description;
    struct buf b;
    const char *text = render(&b, NULL, &e, 1);
    assert_lines_valid(text);

    const char *line = strstr(text, "\r\nSUMMARY:");
    assert_non_null(line);
    size_t at = (size_t)(line - text) + 2;
    assert_int_equal(line_length(text, at), 74);
    at += 76;
    assert_int_equal(text[at], ' ');
    assert_int_equal(line_length(text, at), 75); /* " " + 37 × é */
    at += 77;
    assert_int_equal(text[at], ' ');
    assert_int_equal(line_length(text, at), 61); /* " " + the last 30 */

    char *unfolded = unfold(text);
    char expected[2048];
    snprintf(expected, sizeof(expected), "\r\nSUMMARY:%s\r\nDESCRIPTION:%s\r\nEND:VEVENT\r\n", summary, description);
    assert_non_null(strstr(unfolded, expected));
    free(unfolded);
    buf_free(&b);
}

static void escapes_folded_as_one_unit(void **state)
{
    (void)state;
    /* "SUMMARY:" + 66 × "a" leaves one octet: the "\," must move whole to the next line. */
    char summary[80];
    memset(summary, 'a', 66);
    summary[66] = ',';
    summary[67] = 'b';
    summary[68] = '\0';
    struct ical_event e = basic_event();
    e.summary = summary;
    struct buf b;
    const char *text = render(&b, NULL, &e, 1);
    assert_lines_valid(text);
    assert_non_null(strstr(text, "aaaa\r\n \\,b\r\n"));
    buf_free(&b);
}

static void cancelled_event_with_sequence_3(void **state)
{
    (void)state;
    struct ical_event e = basic_event();
    e.cancelled = true;
    e.sequence = 3;
    struct buf b;
    const char *text = render(&b, NULL, &e, 1);
    assert_non_null(strstr(text, "\r\nUID:event-42@npq\r\nSEQUENCE:3\r\nSTATUS:CANCELLED\r\n"));
    assert_null(strstr(text, "CONFIRMED"));
    buf_free(&b);
}

static void empty_calendar(void **state)
{
    (void)state;
    struct buf b;
    const char *text = render(&b, "Nothing yet", NULL, 0);
    assert_string_equal(text, "BEGIN:VCALENDAR\r\n"
                              "PRODID:-//npq//NPQ programmes//EN\r\n"
                              "VERSION:2.0\r\n"
                              "CALSCALE:GREGORIAN\r\n"
                              "METHOD:PUBLISH\r\n"
                              "X-WR-CALNAME:Nothing yet\r\n"
                              "END:VCALENDAR\r\n");
    buf_free(&b);
}

static void several_events_in_order(void **state)
{
    (void)state;
    struct ical_event events[2] = {basic_event(), basic_event()};
    events[1].uid = "session-7@npq";
    struct buf b;
    const char *text = render(&b, NULL, events, 2);
    const char *first = strstr(text, "UID:event-42@npq\r\n"), *second = strstr(text, "UID:session-7@npq\r\n");
    assert_non_null(first);
    assert_non_null(second);
    assert_true(first < second);
    assert_null(strstr(second, "UID:event-42@npq"));
    buf_free(&b);
}

static void zero_length_event_has_no_dtend(void **state)
{
    (void)state;
    struct ical_event e = basic_event();
    e.end = e.start;
    struct buf b;
    const char *text = render(&b, NULL, &e, 1);
    assert_non_null(strstr(text, "\r\nDTSTART:20260314T093000Z\r\nSUMMARY:"));
    assert_null(strstr(text, "DTEND"));
    buf_free(&b);
}

static void times_written_as_utc(void **state)
{
    (void)state;
    static const struct {
        int64_t t;
        const char *text;
    } cases[] = {
        {0, "19700101T000000Z"},
        {-1, "19691231T235959Z"},
        {951827696, "20000229T123456Z"},
        {1709251200, "20240301T000000Z"},
        {-2203891200, "19000301T000000Z"},
        {4107542399, "21000228T235959Z"},
        {-62135596800, "00010101T000000Z"},
        {253402300799, "99991231T235959Z"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct ical_event e = basic_event();
        e.stamp = e.start = e.end = cases[i].t;
        struct buf b;
        const char *text = render(&b, NULL, &e, 1);
        char expected[64];
        snprintf(expected, sizeof(expected), "\r\nDTSTAMP:%s\r\n", cases[i].text);
        assert_non_null(strstr(text, expected));
        snprintf(expected, sizeof(expected), "\r\nDTSTART:%s\r\n", cases[i].text);
        assert_non_null(strstr(text, expected));
        buf_free(&b);
    }
}

static void organizer_name_quoted_and_cleaned(void **state)
{
    (void)state;
    struct ical_event e = basic_event();
    e.organizer_name = "\"Zoë\"\t\r\nO'Brien; Ph.D., ^n";
    e.organizer_email = "zoe@example.org";
    struct buf b;
    const char *text = render(&b, NULL, &e, 1);
    /* quotes and controls gone; ; , : allowed inside the quotes; ^ doubled per RFC 6868 */
    assert_non_null(strstr(text, "\r\nORGANIZER;CN=\"Zo\xc3\xabO'Brien; Ph.D., ^^n\":mailto:zoe@example.org\r\n"));
    buf_free(&b);

    e.organizer_name = NULL;
    text = render(&b, NULL, &e, 1);
    assert_non_null(strstr(text, "\r\nORGANIZER:mailto:zoe@example.org\r\n"));
    buf_free(&b);

    e.organizer_name = "Someone";
    e.organizer_email = NULL; /* ORGANIZER needs an address: nothing to write */
    text = render(&b, NULL, &e, 1);
    assert_null(strstr(text, "ORGANIZER"));
    buf_free(&b);
}

static void buffer_maximum_reached(void **state)
{
    (void)state;
    struct ical_event e = basic_event();
    e.description = "A description long enough to need folding across more than one line of the output.";
    struct buf b;
    render(&b, "Feed", &e, 1);
    size_t needed = b.len;
    char *expected = strdup(b.data);
    buf_free(&b);

    /* Exactly enough room succeeds with the same text. */
    buf_init(&b, needed);
    assert_true(ical_write_calendar(&b, &(const struct ical_calendar){.name = "Feed"}, &e, 1));
    assert_string_equal(b.data, expected);
    buf_free(&b);

    /* Any maximum short of that fails, wherever in the output it runs out, and leaves what the
     * buffer held before ("kept:", 5 octets) as it was. */
    for (size_t max = 5; max < 5 + needed; max++) {
        buf_init(&b, max);
        assert_true(buf_append_str(&b, "kept:"));
        assert_false(ical_write_calendar(&b, &(const struct ical_calendar){.name = "Feed"}, &e, 1));
        assert_int_equal(b.len, 5);
        assert_string_equal(b.data, "kept:");
        buf_free(&b);
    }
    free(expected);
}

static void invalid_inputs_refused(void **state)
{
    (void)state;
    struct ical_event cases[18];
    size_t n = 0;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        cases[i] = basic_event();
    cases[n++].uid = NULL;
    cases[n++].uid = "";
    cases[n++].uid = "event-1@npq\r\nSTATUS:CANCELLED";
    cases[n++].uid = "event-1\n@npq";
    cases[n++].uid = "event-1\t@npq";
    cases[n++].uid = "event-1\x7f@npq";
    cases[n++].uid = "event-\xff@npq";
    cases[n++].url = "https://meet.example.org/x\r\nX-INJECTED:1";
    cases[n++].url = "https://meet.example.org/\tx";
    cases[n++].url = "https://meet.example.org/a b";
    cases[n++].organizer_email = "ada@example.org\r\nATTENDEE:mailto:x@y";
    cases[n++].summary = NULL;
    cases[n].end = cases[n].start - 1;
    n++;
    cases[n++].sequence = -1;
    cases[n++].sequence = (int64_t)1 << 31;
    cases[n++].stamp = -62135596801;
    cases[n++].start = -62135596801;
    cases[n++].end = 253402300800;
    assert_int_equal(n, sizeof(cases) / sizeof(cases[0]));

    for (size_t i = 0; i < n; i++) {
        struct buf b;
        buf_init(&b, BIG);
        assert_true(buf_append_str(&b, "kept:"));
        /* a bad event anywhere refuses the whole calendar, before anything is written */
        struct ical_event pair[2] = {basic_event(), cases[i]};
        if (ical_write_calendar(&b, &(const struct ical_calendar){.name = "Feed"}, pair, 2))
            fail_msg("case %zu was accepted", i);
        assert_string_equal(b.data, "kept:");
        buf_free(&b);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(one_event_exact_output),
        cmocka_unit_test(optional_fields_left_out),
        cmocka_unit_test(text_special_characters_escaped),
        cmocka_unit_test(invalid_utf8_in_text_replaced),
        cmocka_unit_test(long_ascii_line_folded),
        cmocka_unit_test(long_multibyte_line_folded_between_characters),
        cmocka_unit_test(escapes_folded_as_one_unit),
        cmocka_unit_test(cancelled_event_with_sequence_3),
        cmocka_unit_test(empty_calendar),
        cmocka_unit_test(several_events_in_order),
        cmocka_unit_test(zero_length_event_has_no_dtend),
        cmocka_unit_test(times_written_as_utc),
        cmocka_unit_test(organizer_name_quoted_and_cleaned),
        cmocka_unit_test(buffer_maximum_reached),
        cmocka_unit_test(invalid_inputs_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
