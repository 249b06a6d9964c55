'use strict';
/*
 * The iCalendar writer (src/lib/ical.c) checked by an independent parser, ical.js, the one
 * Thunderbird uses: what npq writes must parse, and every property must come back as it went in.
 *
 * C cannot be called from here, so the build makes a test-only program, ical_sample
 * (tests/unit/lib/ical_sample.c), that prints a calendar of three sample events; the values below
 * are the same ones. It is found, in order, at $ICAL_SAMPLE, next to $NPQ_BIN (so the sanitized run
 * with NPQ_BIN=build-asan/npq checks the sanitized build), or at build/ical_sample; relative paths
 * are resolved against the repository root.
 */
const { test } = require('node:test');
const assert = require('node:assert/strict');
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const ICAL = require('ical.js');

const REPO = path.join(__dirname, '../..');

/*
 * X-WR-CALNAME is not in RFC 5545, and ical.js reads properties it does not know as raw text; but
 * the RFC makes TEXT the default type of an X- property (3.8.8.2) and the clients that show the
 * name (Apple, Google, Outlook) unescape it, so the writer escapes it. Tell ical.js the same.
 */
ICAL.design.icalendar.property['x-wr-calname'] = { defaultType: 'text' };

function samplePath() {
  if (process.env.ICAL_SAMPLE) return path.resolve(REPO, process.env.ICAL_SAMPLE);
  if (process.env.NPQ_BIN) return path.join(path.dirname(path.resolve(REPO, process.env.NPQ_BIN)), 'ical_sample');
  return path.join(REPO, 'build/ical_sample');
}

/* The events ical_sample writes, as a reader should see them. */
const CALENDAR_NAME = 'NPQ sample, events; sessions';
const EVENTS = [
  {
    uid: 'event-101@npq',
    sequence: 0,
    stamp: '2026-01-01T00:00:00Z',
    start: '2026-03-14T09:30:00Z',
    end: '2026-03-14T14:00:00Z',
    summary: 'Résidentiel: día 1, «Ethics»; Zürich — café ☕ — éèêëéèêëéèêë',
    // the CR of the CRLF is dropped (CR is not allowed in TEXT); the LF survives as a newline
    description: 'Bring: laptop, charger; notes.\nBackslash \\ stays.\nÜbung 2 — 10€ lunch 🍱, payé sur place; merci.',
    location: "Salle 3, Hôtel de Ville; 1 Rue de l'École",
    url: 'https://npq.example.org/events/101?tab=agenda&lang=fr',
    status: 'CONFIRMED',
    // double quotes cannot appear in a quoted parameter, so the writer removes them
    organizer: { cn: "Siân Lead O'Neill ^ Co", address: 'mailto:sian.oneill@example.org' },
  },
  {
    uid: 'session-7@npq',
    sequence: 1,
    stamp: '2026-01-02T00:00:00Z',
    start: '2026-03-23T17:00:00Z',
    end: '2026-03-23T18:00:00Z',
    summary: 'Coaching session (online)',
    description: null,
    location: null,
    url: 'https://meet.example.org/j/123456789?pwd=a1b2c3',
    status: 'CONFIRMED',
    organizer: null,
  },
  {
    uid: 'event-102@npq',
    sequence: 2,
    stamp: '2026-01-03T00:00:00Z',
    start: '2026-04-02T09:00:00Z',
    end: '2026-04-02T12:00:00Z',
    summary: 'Cancelled: twilight seminar',
    description: null,
    location: 'Room 2',
    url: null,
    status: 'CANCELLED',
    organizer: { cn: 'Programme team', address: 'mailto:programmes@example.org' },
  },
];

function runSample() {
  const bin = samplePath();
  assert.ok(fs.existsSync(bin), `${bin} is missing: build it with ninja -C build (or set ICAL_SAMPLE)`);
  const r = spawnSync(bin, [], { encoding: 'buffer' });
  assert.equal(r.error, undefined, `could not run ${bin}: ${r.error}`);
  assert.equal(r.status, 0, `${bin} exited with ${r.status}:\n${r.stderr}`);
  assert.equal(r.stderr.length, 0, `${bin} wrote to stderr:\n${r.stderr}`);
  return r.stdout;
}

/* An ICAL.Time must be a UTC DATE-TIME (a trailing Z), not floating or local. */
function assertUtc(time, expected, what) {
  assert.ok(time instanceof ICAL.Time, `${what} is not a time`);
  assert.equal(time.isDate, false, `${what} is a DATE, not a DATE-TIME`);
  assert.equal(time.zone, ICAL.Timezone.utcTimezone, `${what} is not UTC`);
  assert.equal(time.toUnixTime(), Date.parse(expected) / 1000, `${what}`);
  assert.equal(`${time.toString()}Z`.replace('ZZ', 'Z'), expected, `${what}`);
}

test('the calendar is CRLF lines of at most 75 octets, each valid UTF-8 on its own', () => {
  const raw = runSample();
  const text = raw.toString('latin1'); // one character per octet, to split and measure octets
  assert.ok(text.endsWith('\r\n'), 'the last line ends in CRLF');
  const lines = text.slice(0, -2).split('\r\n');
  const strict = new TextDecoder('utf-8', { fatal: true });
  let folded = 0;
  for (const line of lines) {
    assert.ok(!/[\r\n]/.test(line), `a bare CR or LF in ${JSON.stringify(line)}`);
    assert.ok(line.length <= 75, `${line.length} octets: ${JSON.stringify(line)}`);
    // a fold that split a character would leave invalid UTF-8 at the end of one line and the start of the next
    assert.doesNotThrow(() => strict.decode(Buffer.from(line, 'latin1')), `broken UTF-8 in ${JSON.stringify(line)}`);
    if (line.startsWith(' ')) folded++;
  }
  assert.ok(folded >= 2, 'the sample has long lines, so some must be folded');
  assert.equal(lines[0], 'BEGIN:VCALENDAR');
  assert.equal(lines[lines.length - 1], 'END:VCALENDAR');
});

test('ical.js parses the calendar and every property round-trips', () => {
  const text = runSample().toString('utf8');
  const calendar = new ICAL.Component(ICAL.parse(text));
  assert.equal(calendar.name, 'vcalendar');
  assert.equal(calendar.getFirstPropertyValue('prodid'), '-//npq//NPQ programmes//EN');
  assert.equal(calendar.getFirstPropertyValue('version'), '2.0');
  assert.equal(calendar.getFirstPropertyValue('calscale'), 'GREGORIAN');
  assert.equal(calendar.getFirstPropertyValue('method'), 'PUBLISH');
  assert.equal(calendar.getFirstPropertyValue('x-wr-calname'), CALENDAR_NAME);

  const vevents = calendar.getAllSubcomponents('vevent');
  assert.equal(vevents.length, EVENTS.length);
  EVENTS.forEach((want, i) => {
    const got = vevents[i];
    const at = `event ${i} (${want.uid})`;
    assert.equal(got.getFirstPropertyValue('uid'), want.uid, `${at} uid`);
    assert.equal(got.getFirstPropertyValue('sequence'), want.sequence, `${at} sequence`);
    assert.equal(got.getFirstPropertyValue('status'), want.status, `${at} status`);
    assert.equal(got.getFirstPropertyValue('summary'), want.summary, `${at} summary`);
    assert.equal(got.getFirstPropertyValue('description'), want.description, `${at} description`);
    assert.equal(got.getFirstPropertyValue('location'), want.location, `${at} location`);
    assert.equal(got.getFirstPropertyValue('url'), want.url, `${at} url`);
    assertUtc(got.getFirstPropertyValue('dtstamp'), want.stamp, `${at} dtstamp`);
    assertUtc(got.getFirstPropertyValue('dtstart'), want.start, `${at} dtstart`);
    assertUtc(got.getFirstPropertyValue('dtend'), want.end, `${at} dtend`);

    const organizer = got.getFirstProperty('organizer');
    if (want.organizer === null) {
      assert.equal(organizer, null, `${at} has no organizer`);
    } else {
      assert.ok(organizer, `${at} organizer`);
      assert.equal(organizer.getFirstValue(), want.organizer.address, `${at} organizer address`);
      assert.equal(organizer.getParameter('cn'), want.organizer.cn, `${at} organizer name`);
    }

    // Nothing else crept in: each property once, and only these.
    const names = got.getAllProperties().map((p) => p.name);
    const expected = ['dtstamp', 'uid', 'sequence', 'status', 'dtstart', 'dtend', 'summary'];
    if (want.description !== null) expected.push('description');
    if (want.location !== null) expected.push('location');
    if (want.url !== null) expected.push('url');
    if (want.organizer !== null) expected.push('organizer');
    assert.deepEqual(names, expected, `${at} properties`);
  });
});

test('ical.js reads the events as a client would: times, duration and cancellation', () => {
  const calendar = new ICAL.Component(ICAL.parse(runSample().toString('utf8')));
  const events = calendar.getAllSubcomponents('vevent').map((c) => new ICAL.Event(c));
  assert.deepEqual(
    events.map((e) => [e.uid, e.startDate.toJSDate().toISOString(), e.duration.toSeconds()]),
    [
      ['event-101@npq', '2026-03-14T09:30:00.000Z', 4.5 * 3600],
      ['session-7@npq', '2026-03-23T17:00:00.000Z', 3600],
      ['event-102@npq', '2026-04-02T09:00:00.000Z', 3 * 3600],
    ],
  );
  const cancelled = events.filter((e) => e.component.getFirstPropertyValue('status') === 'CANCELLED');
  assert.deepEqual(
    cancelled.map((e) => [e.uid, e.sequence]),
    [['event-102@npq', 2]],
  );
});
