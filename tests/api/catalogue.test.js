'use strict';
/*
 * The catalogue as the API serves it: exactly catalogue/default.json, and catalogue/default.json
 * exactly the seed documents (the 2012 modular-curriculum table and the 2021 NPQSL framework).
 */
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');

const { startServer, request, getJson, loadDefaultCatalogue } = require('./helpers');

const catalogue = loadDefaultCatalogue();

/*
 * The modular-curriculum table of /work/shared/seeds/002_06a3c9a33bcab68f.txt, word for word:
 * per level, the qualification, its requirement as printed, and the modules of each strand column
 * with `essential` for the ones the seed prints in bold ("Essential modules are highlighted in
 * bold"). The nested "Free school leadership:" list is two modules. Levels 4 and 5 have no
 * modules yet ("Modules for these levels are currently being developed").
 */
const SEED_TABLE = [
  {
    level: 3,
    levelTitle: 'Aspiring to lead an organisation',
    qualification: 'National Professional Qualification for Headship',
    requirement: '3 essential and 2 elective modules',
    strands: {
      'Educational excellence': [
        ['Leading and improving teaching', true],
        ['Curriculum development', false],
        ['Leading inclusion: achievement for all', false],
        ['Closing the Gap', false],
      ],
      'Operational management': [
        ['Leading an effective school', true],
        ['Using data and evidence to improve performance', false],
        ['Leading staff and effective teams', false],
      ],
      'Strategic leadership': [
        ['Succeeding in headship', true],
        ['Leading change for improvement', false],
        ['Leading in diverse contexts', false],
        ['School improvement through effective partnerships', false],
        ['Free school leadership: Relationships and reputation', false],
        ['Free school leadership: Freedoms and constraints', false],
      ],
    },
  },
  {
    level: 2,
    levelTitle: 'Leading across an organisation',
    qualification: 'National Professional Qualification for Senior Leadership',
    requirement: '2 essential and 2 elective modules',
    strands: {
      'Educational excellence': [
        ['Closing the gap', true],
        ['Improving the quality of teaching', false],
        ['Research and development in teaching', false],
      ],
      'Operational management': [
        ['Effective whole school management', false],
        ['School self-evaluation', false],
        ['Leading professional development', false],
      ],
      'Strategic leadership': [
        ['Succeeding in senior leadership', true],
        ['Leading change for improvement', false],
        ['Leading in a diverse system', false],
        ['Effective partnership working', false],
      ],
    },
  },
  {
    level: 1,
    levelTitle: 'Leading a team',
    qualification: 'National Professional Qualification for Middle Leadership',
    // The seed prints "2 essential and 1 elective modules"; the rule in words is singular.
    requirement: '2 essential and 1 elective module',
    strands: {
      'Educational excellence': [
        ['Leading teaching', true],
        ['Leading inclusion: achievement for all', false],
      ],
      'Operational management': [
        ['Managing systems and processes', true],
        ['Leading an effective team', false],
        ['Leading and developing staff', false],
      ],
      'Strategic leadership': [
        ['Succeeding in middle leadership', false],
        ['Leading change for improvement', false],
        ['Leading in a diverse system', false],
      ],
    },
  },
];

const SEED_LEVELS = [
  [1, 'Leading a team'],
  [2, 'Leading across an organisation'],
  [3, 'Aspiring to lead an organisation'],
  [4, 'Leading an organisation'],
  [5, 'Leading beyond an organisation'],
];

/* The ten areas of the NPQSL framework, /work/shared/seeds/000_3628fcaa7813a257.txt, in order. */
const NPQSL_AREAS = [
  'School Culture',
  'Teaching',
  'Curriculum and Assessment',
  'Behaviour',
  'Additional and Special Educational Needs and Disabilities',
  'Professional Development',
  'Organisational Management',
  'Implementation',
  'Working in Partnership',
  'Governance and Accountability',
];

const RULE_DESCRIPTIONS = {
  NPQSL: '2 essential and 2 elective modules',
  NPQML: '2 essential and 1 elective module',
  NPQH: '3 essential and 2 elective modules',
};
/* The DfE's 2021 suite: no modules, so the rule in words says so. */
for (const q of catalogue.qualifications) if (q.dfe_course) RULE_DESCRIPTIONS[q.code] = 'no modules';

/* The seed capitalises "Closing the Gap" once and "Closing the gap" once: one module. */
const sameTitle = (a, b) => a.toLowerCase() === b.toLowerCase();

const levelTitle = (n) => catalogue.levels.find((l) => l.number === n).title;
const levelJson = (n) => (n === null ? null : { number: n, title: levelTitle(n) });
const moduleByCode = (code) => catalogue.modules.find((m) => m.code === code);
const strandTitle = (code) => catalogue.strands.find((s) => s.code === code).title;

function moduleSummary(m) {
  return {
    code: m.code,
    title: m.title,
    strand: m.strand,
    level: m.level,
    hours_cap: m.hours_cap,
    href: `/api/v1/modules/${m.code}`,
  };
}

let server;
before(async () => {
  server = await startServer({ threads: 2 });
});
after(async () => {
  await server?.stop();
});

test('the qualification list is catalogue/default.json in order', async () => {
  const body = await getJson(server.url, '/api/v1/qualifications');
  assert.deepEqual(
    body,
    {
      qualifications: catalogue.qualifications.map((q) => ({
        code: q.code,
        title: q.title,
        level: levelJson(q.level),
        requirement: RULE_DESCRIPTIONS[q.code],
        framework: q.framework,
        dfe_course: q.dfe_course,
        course_group: q.course_group,
        href: `/api/v1/qualifications/${q.code}`,
      })),
    },
  );
});

test('every qualification is served exactly as catalogue/default.json has it', async () => {
  assert.deepEqual(catalogue.qualifications.map((q) => q.code).sort(), Object.keys(RULE_DESCRIPTIONS).sort());
  for (const q of catalogue.qualifications) {
    const body = await getJson(server.url, `/api/v1/qualifications/${q.code}`);
    assert.equal(body.code, q.code);
    assert.equal(body.title, q.title);
    assert.deepEqual(body.level, levelJson(q.level));
    assert.equal(body.summary, q.summary);
    assert.equal(body.framework, q.framework);
    assert.equal(body.dfe_course, q.dfe_course);
    assert.equal(body.course_group, q.course_group);

    const { description, events_description: events, ...rule } = body.rule;
    assert.deepEqual(rule, q.rule, `${q.code} rule`);
    assert.equal(description, RULE_DESCRIPTIONS[q.code], `${q.code} rule description`);
    assert.equal(typeof events, 'string');

    // Modules by strand: every strand of the catalogue, in order, each with the rule's essential
    // and elective modules of that strand in rule order.
    assert.deepEqual(
      body.strands,
      catalogue.strands.map((s) => ({
        code: s.code,
        title: s.title,
        essential: q.rule.essential.map(moduleByCode).filter((m) => m.strand === s.code).map(moduleSummary),
        elective: q.rule.electives.from.map(moduleByCode).filter((m) => m.strand === s.code).map(moduleSummary),
      })),
      `${q.code} strands`,
    );
    const essentialServed = body.strands.flatMap((s) => s.essential).length;
    const electiveServed = body.strands.flatMap((s) => s.elective).length;
    assert.equal(essentialServed, q.rule.essential.length, `${q.code}: every essential module is in a strand`);
    assert.equal(electiveServed, q.rule.electives.from.length, `${q.code}: every elective module is in a strand`);
  }
});

test('rule descriptions and counts match the seed', async () => {
  const byCode = {};
  for (const code of ['NPQSL', 'NPQML', 'NPQH'])
    byCode[code] = await getJson(server.url, `/api/v1/qualifications/${code}`);
  assert.equal(byCode.NPQSL.rule.description, '2 essential and 2 elective modules');
  assert.equal(byCode.NPQML.rule.description, '2 essential and 1 elective module');
  assert.equal(byCode.NPQH.rule.description, '3 essential and 2 elective modules');
  assert.deepEqual(
    Object.fromEntries(Object.entries(byCode).map(([c, q]) => [c, [q.rule.essential.length, q.rule.electives.count]])),
    { NPQSL: [2, 2], NPQML: [2, 1], NPQH: [3, 2] },
  );
  // The NPQSL programme page: final assessment, 4 face-to-face events or 4 virtual live events.
  assert.equal(byCode.NPQSL.rule.final_assessment, true);
  assert.equal(byCode.NPQSL.rule.min_face_to_face_events, 4);
  assert.equal(byCode.NPQSL.rule.min_virtual_events, 4);
  assert.equal(byCode.NPQSL.rule.events_description, '4 face-to-face events (4 virtual live events when studied online)');
  assert.equal(byCode.NPQSL.framework, 'npqsl');
});

test('the seed table: every qualification, strand, module and essential flag', async () => {
  const levels = (await getJson(server.url, '/api/v1/qualifications')).qualifications;
  for (const row of SEED_TABLE) {
    const summary = levels.find((q) => q.title === row.qualification);
    assert.ok(summary, `qualification "${row.qualification}" is served`);
    assert.deepEqual(summary.level, { number: row.level, title: row.levelTitle });
    assert.equal(summary.requirement, row.requirement, `${summary.code} requirement`);

    const q = await getJson(server.url, `/api/v1/qualifications/${summary.code}`);
    assert.deepEqual(
      q.strands.map((s) => s.title),
      Object.keys(row.strands),
      `${q.code}: the strands are the seed's three columns, in order`,
    );
    for (const strand of q.strands) {
      const seedModules = row.strands[strand.title];
      const served = [
        ...strand.essential.map((m) => [m.title, true]),
        ...strand.elective.map((m) => [m.title, false]),
      ];
      assert.equal(served.length, seedModules.length, `${q.code} / ${strand.title}: number of modules`);
      for (const [title, essential] of seedModules) {
        const found = served.find(([t]) => sameTitle(t, title));
        assert.ok(found, `${q.code} / ${strand.title}: "${title}" is served (served: ${served.map(([t]) => t).join('; ')})`);
        assert.equal(found[1], essential, `${q.code} / ${strand.title}: "${title}" is ${essential ? 'essential' : 'elective'}`);
      }
    }
    // The requirement counts essentials as the seed's bold modules.
    const boldCount = Object.values(row.strands).flat().filter(([, bold]) => bold).length;
    assert.equal(q.rule.essential.length, boldCount, `${q.code}: essential modules are the bold ones`);
  }
});

test('every module named in the seed table is served once, at the lowest level the seed offers it', async () => {
  const served = (await getJson(server.url, '/api/v1/modules')).modules;
  const seedLowestLevel = new Map(); // lower-cased title -> [title, lowest level]
  for (const row of SEED_TABLE)
    for (const modules of Object.values(row.strands))
      for (const [title] of modules) {
        const key = title.toLowerCase();
        const seen = seedLowestLevel.get(key);
        if (!seen || row.level < seen[1]) seedLowestLevel.set(key, [title, row.level]);
      }
  assert.equal(seedLowestLevel.size, 26, 'the seed table names 26 distinct modules');
  assert.equal(served.length, seedLowestLevel.size, `modules served: ${served.map((m) => m.title).join('; ')}`);
  for (const [key, [title, level]] of seedLowestLevel) {
    const matches = served.filter((m) => m.title.toLowerCase() === key);
    assert.equal(matches.length, 1, `"${title}" is served exactly once`);
    assert.equal(matches[0].level, level, `"${title}" has the lowest level the seed offers it at`);
    assert.equal(matches[0].hours_cap, 50, `"${title}": up to 50 hours of blended learning`);
  }
  // A few by name, as the brief lists them.
  for (const title of [
    'Closing the gap',
    'Succeeding in senior leadership',
    'Free school leadership: Relationships and reputation',
    'Free school leadership: Freedoms and constraints',
    'Leading inclusion: achievement for all',
  ])
    assert.ok(served.some((m) => m.title === title), `"${title}" is served`);
});

test('the levels are the seed\'s five', async () => {
  assert.deepEqual(
    catalogue.levels.map((l) => [l.number, l.title]),
    SEED_LEVELS,
  );
  assert.deepEqual(
    catalogue.strands.map((s) => s.title),
    ['Educational excellence', 'Operational management', 'Strategic leadership'],
  );
});

test('the module list is catalogue/default.json in order', async () => {
  const body = await getJson(server.url, '/api/v1/modules');
  assert.deepEqual(body, { modules: catalogue.modules.map(moduleSummary) });
});

test('every module is served exactly, with the qualifications it counts towards', async () => {
  for (const m of catalogue.modules) {
    const body = await getJson(server.url, `/api/v1/modules/${m.code}`);
    const expected = {
      code: m.code,
      title: m.title,
      strand: { code: m.strand, title: strandTitle(m.strand) },
      level: { number: m.level, title: levelTitle(m.level) },
      hours_cap: m.hours_cap,
      qualifications: catalogue.qualifications
        .filter((q) => q.rule.essential.includes(m.code) || q.rule.electives.from.includes(m.code))
        .map((q) => ({
          code: q.code,
          title: q.title,
          role: q.rule.essential.includes(m.code) ? 'essential' : 'elective',
          href: `/api/v1/qualifications/${q.code}`,
        })),
    };
    assert.deepEqual(body, expected, `module ${m.code}`);
    assert.ok(body.qualifications.length >= 1, `module ${m.code} counts towards at least one qualification`);
  }
});

test('closing-the-gap is essential for NPQSL and elective for NPQH', async () => {
  const body = await getJson(server.url, '/api/v1/modules/closing-the-gap');
  assert.equal(body.title, 'Closing the gap');
  assert.deepEqual(
    body.qualifications.map((q) => [q.code, q.role]),
    [
      ['NPQSL', 'essential'],
      ['NPQH', 'elective'],
    ],
  );
  // Offered at levels 2 and 3: one module at its lowest level.
  assert.deepEqual(body.level, { number: 2, title: 'Leading across an organisation' });

  const change = await getJson(server.url, '/api/v1/modules/leading-change-for-improvement');
  assert.deepEqual(
    change.qualifications.map((q) => [q.code, q.role]),
    [
      ['NPQML', 'elective'],
      ['NPQSL', 'elective'],
      ['NPQH', 'elective'],
    ],
  );
  assert.equal(change.level.number, 1);
});

test('the framework list and every framework are served exactly', async () => {
  const list = await getJson(server.url, '/api/v1/frameworks');
  const usedBy = (code) => catalogue.qualifications.filter((q) => q.framework === code).map((q) => q.code);
  assert.deepEqual(list, {
    frameworks: catalogue.frameworks.map((f) => ({
      code: f.code,
      title: f.title,
      area_count: f.areas.length,
      qualifications: usedBy(f.code),
      href: `/api/v1/frameworks/${f.code}`,
    })),
  });
  for (const f of catalogue.frameworks) {
    const body = await getJson(server.url, `/api/v1/frameworks/${f.code}`);
    assert.deepEqual(
      body,
      {
        code: f.code,
        title: f.title,
        qualifications: usedBy(f.code),
        areas: f.areas.map((a) => ({
          number: a.number,
          title: a.title,
          // "learn that" statements have no practices; the API leaves the empty list out.
          learn_that: a.learn_that.map((s) => ({ number: s.number, text: s.text, incomplete: s.incomplete })),
          learn_how_to: a.learn_how_to.map((s) => ({
            number: s.number,
            text: s.text,
            incomplete: s.incomplete,
            practices: s.practices.map((p) => ({ text: p.text, incomplete: p.incomplete })),
          })),
        })),
      },
      `framework ${f.code}`,
    );
  }
});

test('the NPQSL framework has the seed\'s ten areas in order, with incomplete statements flagged', async () => {
  const f = await getJson(server.url, '/api/v1/frameworks/npqsl');
  assert.equal(f.code, 'npqsl');
  assert.equal(f.title, 'National Professional Qualification (NPQ): Senior Leadership Framework');
  // The 2012 NPQSL has always linked it; the 2021 NPQSL is the qualification it was written for.
  assert.deepEqual(f.qualifications, ['NPQSL', 'NPQSL21']);
  assert.equal(f.areas.length, 10);
  assert.deepEqual(
    f.areas.map((a) => a.title),
    NPQSL_AREAS,
  );
  assert.deepEqual(
    f.areas.map((a) => a.number),
    [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
  );

  const teaching = f.areas.find((a) => a.title === 'Teaching');
  assert.deepEqual(
    teaching.learn_that.map((s) => [s.number, s.incomplete]),
    [
      [1, true],
      [9, true],
    ],
  );
  assert.match(teaching.learn_that[0].text, /^Learning involves a lasting change in pupils’ capabilities or/);

  // The areas whose "learn that" list the source cuts off: first and last printed number, both
  // incomplete; the others are complete and numbered 1..n without gaps.
  const cut = { Teaching: [1, 9], Behaviour: [1, 7], 'Additional and Special Educational Needs and Disabilities': [1, 6], 'Professional Development': [1, 12], Implementation: [1, 10] };
  for (const area of f.areas) {
    const numbers = area.learn_that.map((s) => s.number);
    if (cut[area.title]) {
      assert.deepEqual(numbers, cut[area.title], `${area.title}: learn_that numbers`);
      assert.ok(area.learn_that.every((s) => s.incomplete), `${area.title}: cut-off statements are incomplete`);
    } else {
      assert.deepEqual(numbers, numbers.map((_, i) => i + 1), `${area.title}: learn_that numbered 1..n`);
      assert.ok(area.learn_that.every((s) => !s.incomplete), `${area.title}: complete statements`);
    }
    // "learn how to" statements are not numbered in the source: 1, 2, 3... in order.
    assert.deepEqual(
      area.learn_how_to.map((s) => s.number),
      area.learn_how_to.map((_, i) => i + 1),
      `${area.title}: learn_how_to numbered 1..n`,
    );
    assert.ok(area.learn_how_to.length >= 1, `${area.title}: has "learn how to" statements`);
    for (const s of area.learn_that) assert.equal(s.practices, undefined, `${area.title}: no practices in learn_that`);
    for (const s of area.learn_how_to) assert.ok(Array.isArray(s.practices));
  }
  assert.deepEqual(
    f.areas.find((a) => a.title === 'School Culture').learn_that.map((s) => s.number),
    [1, 2, 3, 4, 5, 6, 7, 8],
  );
});

const FRAMEWORK_SEED = '/work/shared/seeds/000_3628fcaa7813a257.txt';
test('every framework statement and practice is text from the seed', { skip: !fs.existsSync(FRAMEWORK_SEED) && 'seed document not present' }, async () => {
  const squash = (s) => s.replace(/\s+/g, ' ').trim();
  const seed = squash(fs.readFileSync(FRAMEWORK_SEED, 'utf8'));
  const f = await getJson(server.url, '/api/v1/frameworks/npqsl');
  for (const area of f.areas) {
    for (const s of area.learn_that)
      assert.ok(seed.includes(`${s.number}. ${squash(s.text)}`), `${area.title} learn_that ${s.number} is in the seed: ${s.text}`);
    for (const s of area.learn_how_to) {
      assert.ok(seed.includes(squash(s.text)), `${area.title} learn_how_to ${s.number} is in the seed: ${s.text}`);
      for (const p of s.practices) assert.ok(seed.includes(squash(p.text)), `${area.title} practice is in the seed: ${p.text}`);
    }
  }
});

test('codes are case-insensitive', async () => {
  const canonical = await request(server.url, '/api/v1/qualifications/NPQSL');
  assert.equal(canonical.status, 200);
  for (const code of ['npqsl', 'NpQsL', 'Npqsl']) {
    const r = await request(server.url, `/api/v1/qualifications/${code}`);
    assert.equal(r.status, 200, `GET /api/v1/qualifications/${code}`);
    assert.equal(r.text, canonical.text, `${code} answers the same document as NPQSL`);
    assert.equal(r.json().code, 'NPQSL');
    assert.equal(r.headers.get('etag'), canonical.headers.get('etag'));
  }
  const npqh = await getJson(server.url, '/api/v1/qualifications/npqh');
  assert.equal(npqh.code, 'NPQH');
});

test('an unknown code is a 404 JSON error', async () => {
  const cases = [
    ['/api/v1/qualifications/NPQX', 'There is no qualification with that code.'],
    ['/api/v1/qualifications/NPQSLX', 'There is no qualification with that code.'],
    ['/api/v1/qualifications/NPQ', 'There is no qualification with that code.'],
    ['/api/v1/modules/no-such-module', 'There is no module with that code.'],
    ['/api/v1/modules/closing-the-ga', 'There is no module with that code.'],
    ['/api/v1/frameworks/npqh', 'There is no framework with that code.'],
  ];
  for (const [path, message] of cases) {
    const r = await request(server.url, path);
    assert.equal(r.status, 404, `GET ${path}`);
    assert.match(r.headers.get('content-type'), /^application\/json\b/);
    assert.deepEqual(r.json(), { error: { status: 404, code: 'not_found', message } }, `GET ${path}`);
  }
});
