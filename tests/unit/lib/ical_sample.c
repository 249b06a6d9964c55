/*
 * Test-only: prints a calendar of three sample events to stdout, so that
 * tests/api/ical_parse.test.js can check src/lib/ical.c with an independent parser (ical.js).
 *
 * The events cover what a real feed carries: every optional field with non-ASCII text, commas,
 * semicolons, backslashes and newlines, with lines that fold where the 76th octet falls inside a
 * multi-byte character or just before a space; a virtual session with a joining URL; a cancelled
 * event on its third version. The node test holds the same values: change both together.
 */
#include "lib/ical.h"

#include <stdio.h>

int main(void)
{
    const struct ical_event events[] = {
        {
            .uid = "event-101@npq",
            .sequence = 0,
            .stamp = 1767225600, /* 2026-01-01T00:00:00Z */
            .start = 1773480600, /* 2026-03-14T09:30:00Z */
            .end = 1773496800,   /* 2026-03-14T14:00:00Z */
            .summary = "Résidentiel: día 1, «Ethics»; Zürich — café ☕ — éèêëéèêëéèêë",
            .description = "Bring: laptop, charger; notes.\nBackslash \\ stays.\r\nÜbung 2 — 10€ lunch 🍱, "
                           "payé sur place; merci.",
            .location = "Salle 3, Hôtel de Ville; 1 Rue de l'École",
            .url = "https://npq.example.org/events/101?tab=agenda&lang=fr",
            .cancelled = false,
            .organizer_name = "Siân \"Lead\" O'Neill ^ Co",
            .organizer_email = "sian.oneill@example.org",
        },
        {
            .uid = "session-7@npq",
            .sequence = 1,
            .stamp = 1767312000, /* 2026-01-02T00:00:00Z */
            .start = 1774285200, /* 2026-03-23T17:00:00Z */
            .end = 1774288800,   /* 2026-03-23T18:00:00Z */
            .summary = "Coaching session (online)",
            .url = "https://meet.example.org/j/123456789?pwd=a1b2c3",
        },
        {
            .uid = "event-102@npq",
            .sequence = 2,
            .stamp = 1767398400, /* 2026-01-03T00:00:00Z */
            .start = 1775120400, /* 2026-04-02T09:00:00Z */
            .end = 1775131200,   /* 2026-04-02T12:00:00Z */
            .summary = "Cancelled: twilight seminar",
            .location = "Room 2",
            .cancelled = true,
            .organizer_name = "Programme team",
            .organizer_email = "programmes@example.org",
        },
    };
    struct buf out;
    buf_init(&out, 1 << 20);
    if (!ical_write_calendar(
            &out, &(const struct ical_calendar){.name = "NPQ sample, events; sessions", .refresh_minutes = 60}, events,
            sizeof(events) / sizeof(events[0]))) {
        fputs("ical_sample: the calendar was refused\n", stderr);
        buf_free(&out);
        return 1;
    }
    int status = fwrite(out.data, 1, out.len, stdout) == out.len && fflush(stdout) == 0 ? 0 : 1;
    buf_free(&out);
    return status;
}
