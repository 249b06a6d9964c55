'use strict';
/*
 * A small stand-in for the DfE's lead-provider API (v3) that keeps state, for tests of npq's
 * sync. It answers only what npq calls, in the published document's shapes; Prism in front of it
 * (tests/support/dfe_prism.js) checks every request npq sends, and every answer given, against
 * that document.
 *
 * Besides the API, the test steers it directly: seed applications and statements, read what was
 * declared and every request received, and make trouble (drop the connection after recording the
 * next declaration, answer 429 with Retry-After, hold a page back for a while).
 */
const http = require('node:http');
const crypto = require('node:crypto');

function startFakeDfe({ token = 'dfe-test-token' } = {}) {
  const state = {
    applications: [],
    declarations: [],
    statements: [],
    participantSteps: [],
    outcomes: [],
    requests: [],
    trouble: { dropNextDeclaration: false, tooManyNext: 0, holdPage: null },
  };

  const json = (res, status, body, headers = {}) => {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
    res.end(text);
  };
  const notFound = (res) => json(res, 404, { error: 'Resource not found' });
  const invalid = (res, title, detail) => json(res, 422, { errors: [{ title, detail }] });

  /* filter[x] and page[x] of a query string. */
  function params(url) {
    const out = { filter: {}, page: {}, sort: url.searchParams.get('sort') };
    for (const [k, v] of url.searchParams) {
      const m = /^(filter|page)\[(\w+)\]$/.exec(k);
      if (m) out[m[1]][m[2]] = v;
    }
    return out;
  }

  function paged(list, p) {
    const page = Number(p.page.page || 1);
    const per = Math.min(Number(p.page.per_page || 100), 3000);
    return list.slice((page - 1) * per, page * per);
  }

  const since = (list, p) => (p.filter.updated_since ? list.filter((x) => x.attributes.updated_at >= p.filter.updated_since) : list);

  function declarationOut(d) {
    return { id: d.id, type: 'participant-declaration', attributes: { ...d.attributes } };
  }

  const standing = (d) => !['voided', 'ineligible', 'clawed_back'].includes(d.attributes.state);

  async function handle(req, res, body) {
    const url = new URL(req.url, 'http://fake');
    state.requests.push({ method: req.method, path: url.pathname, query: url.search, body, authorization: req.headers.authorization });
    if (req.headers.authorization !== `Bearer ${token}`) return json(res, 401, { error: 'HTTP Token: Access denied' });
    if (state.trouble.tooManyNext > 0) {
      state.trouble.tooManyNext--;
      return json(res, 429, { error: 'Too many requests' }, { 'retry-after': '1' });
    }
    const p = params(url);
    const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');

    if (req.method === 'GET' && url.pathname === '/api/v3/npq-applications') {
      const hold = state.trouble.holdPage;
      if (hold && Number(p.page.page || 1) === hold.page) {
        state.trouble.holdPage = null;
        await new Promise((r) => setTimeout(r, hold.ms));
      }
      const list = since(state.applications, p).slice();
      if (p.sort === 'updated_at') list.sort((a, b) => a.attributes.updated_at.localeCompare(b.attributes.updated_at));
      return json(res, 200, { data: paged(list, p) });
    }
    if (req.method === 'GET' && url.pathname === '/api/v3/participant-declarations') {
      let list = since(state.declarations, p);
      if (p.filter.participant_id) list = list.filter((d) => d.attributes.participant_id === p.filter.participant_id);
      return json(res, 200, { data: paged(list, p).map(declarationOut) });
    }
    if (req.method === 'POST' && url.pathname === '/api/v3/participant-declarations') {
      let doc;
      try {
        doc = JSON.parse(body);
      } catch {
        return json(res, 400, { errors: [{ title: 'Bad request', detail: 'correct json data structure required' }] });
      }
      const a = doc.data.attributes;
      const application = state.applications.find((x) => x.attributes.participant_id === a.participant_id && x.attributes.course_identifier === a.course_identifier);
      if (!application) return invalid(res, 'participant_id', 'Your update cannot be made as the \'#/participant_id\' is not recognised.');
      if (application.attributes.status !== 'accepted') return invalid(res, 'participant_id', 'The participant has not been accepted onto this course.');
      if (state.declarations.some((d) => standing(d) && d.attributes.participant_id === a.participant_id && d.attributes.declaration_type === a.declaration_type && d.attributes.course_identifier === a.course_identifier))
        return invalid(res, 'base', 'A declaration has already been submitted that will be, or has been, paid for this event');
      const d = {
        id: crypto.randomUUID(),
        attributes: {
          participant_id: a.participant_id,
          declaration_type: a.declaration_type,
          declaration_date: a.declaration_date,
          course_identifier: a.course_identifier,
          state: 'eligible',
          has_passed: a.has_passed === undefined ? null : String(a.has_passed),
          statement_id: null,
          clawback_statement_id: null,
          uplift_paid: false,
          lead_provider_name: 'Example Institute',
          ineligible_for_funding_reason: null,
          created_at: now,
          delivery_partner_id: a.delivery_partner_id ?? null,
          delivery_partner_name: a.delivery_partner_id ? 'Delivery partner' : null,
          secondary_delivery_partner_id: null,
          secondary_delivery_partner_name: null,
          application_id: application.id,
          updated_at: now,
        },
      };
      state.declarations.push(d);
      if (state.trouble.dropNextDeclaration) {
        state.trouble.dropNextDeclaration = false;
        req.socket.destroy(); // recorded, but the answer never arrives
        return;
      }
      return json(res, 200, { data: declarationOut(d) });
    }
    let m = /^\/api\/v3\/participant-declarations\/([^/]+)\/void$/.exec(url.pathname);
    if (req.method === 'PUT' && m) {
      const d = state.declarations.find((x) => x.id === m[1]);
      if (!d) return notFound(res);
      const from = d.attributes.state;
      if (from === 'paid') d.attributes.state = 'awaiting_clawback';
      else if (['submitted', 'eligible', 'payable'].includes(from)) d.attributes.state = 'voided';
      else return invalid(res, 'id', `The declaration is ${from} and cannot be voided.`);
      d.attributes.updated_at = now;
      // As the DfE does: voiding a completed declaration voids its outcome, recorded by the DfE itself.
      if (d.attributes.declaration_type === 'completed')
        state.outcomes.push({ participant_id: d.attributes.participant_id, by: 'dfe', attributes: { course_identifier: d.attributes.course_identifier, state: 'voided', completion_date: d.attributes.declaration_date } });
      return json(res, 200, { data: declarationOut(d) });
    }
    m = /^\/api\/v3\/npq-applications\/([^/]+)\/(accept|reject)$/.exec(url.pathname);
    if (req.method === 'POST' && m) {
      const application = state.applications.find((x) => x.id === m[1]);
      if (!application) return notFound(res);
      if (application.attributes.status !== 'pending') return invalid(res, 'status', `The application is ${application.attributes.status} already.`);
      application.attributes.status = m[2] === 'accept' ? 'accepted' : 'rejected';
      application.attributes.updated_at = now;
      return json(res, 200, { data: application });
    }
    m = /^\/api\/v3\/participants\/npq\/([^/]+)\/(withdraw|defer|resume|change-schedule)$/.exec(url.pathname);
    if (req.method === 'PUT' && m) {
      const apps = state.applications.filter((x) => x.attributes.participant_id === m[1]);
      if (!apps.length) return notFound(res);
      const a = JSON.parse(body || '{}').data.attributes;
      const application = apps.find((x) => x.attributes.course_identifier === a.course_identifier);
      if (!application) return invalid(res, 'course_identifier', 'The participant is not on this course.');
      const status = { withdraw: 'withdrawn', defer: 'deferred', resume: 'active', 'change-schedule': application.trainingStatus || 'active' }[m[2]];
      application.trainingStatus = status;
      if (a.schedule_identifier) application.attributes.schedule_identifier = a.schedule_identifier;
      state.participantSteps.push({ participant_id: m[1], step: m[2], attributes: a });
      return json(res, 200, {
        data: {
          id: m[1],
          type: 'npq-participant',
          attributes: {
            full_name: application.attributes.full_name,
            teacher_reference_number: application.attributes.teacher_reference_number,
            updated_at: now,
            npq_enrolments: [
              {
                course_identifier: application.attributes.course_identifier,
                schedule_identifier: application.attributes.schedule_identifier,
                npq_application_id: application.id,
                eligible_for_funding: true,
                training_status: status,
                targeted_delivery_funding_eligibility: false,
                email: application.attributes.email,
              },
            ],
          },
        },
      });
    }
    m = /^\/api\/v3\/participants\/npq\/([^/]+)\/outcomes$/.exec(url.pathname);
    if (req.method === 'POST' && m) {
      const a = JSON.parse(body || '{}').data.attributes;
      const application = state.applications.find((x) => x.attributes.participant_id === m[1] && x.attributes.course_identifier === a.course_identifier);
      if (!application) return notFound(res);
      if (!state.declarations.some((d) => standing(d) && d.attributes.participant_id === m[1] && d.attributes.declaration_type === 'completed'))
        return invalid(res, 'base', 'The participant has no completed declaration for this course.');
      const o = { participant_id: m[1], by: 'provider', attributes: a, created_at: now };
      state.outcomes.push(o);
      return json(res, 200, {
        data: { id: crypto.randomUUID(), type: 'participant-outcome', attributes: { state: a.state, completion_date: a.completion_date, course_identifier: a.course_identifier, participant_id: m[1], created_at: now, updated_at: now } },
      });
    }
    if (req.method === 'GET' && url.pathname === '/api/v3/statements') return json(res, 200, { data: paged(state.statements, p) });
    return notFound(res);
  }

  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      handle(req, res, body).catch((e) => json(res, 500, { error: String(e) }));
    });
  });

  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      resolve({
        url: `http://127.0.0.1:${port}`,
        token,
        state,
        /* An application as the DfE lists it; updated_at defaults to now. */
        addApplication({ email, fullName, course = 'npq-senco', status = 'accepted', updatedAt, cohort = '2025', schedule = 'npq-specialist-spring' }) {
          const stamp = updatedAt || new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
          const a = {
            id: crypto.randomUUID(),
            type: 'npq_application',
            attributes: {
              course_identifier: course,
              email,
              email_validated: true,
              employer_name: null,
              employment_role: null,
              full_name: fullName,
              funding_choice: 'school',
              headteacher_status: 'no',
              ineligible_for_funding_reason: null,
              participant_id: crypto.randomUUID(),
              private_childcare_provider_urn: null,
              teacher_reference_number: '1234567',
              teacher_reference_number_validated: true,
              school_urn: '100001',
              school_ukprn: null,
              status,
              reason_for_rejection: null,
              works_in_school: true,
              cohort,
              cohort_suffix: 'a',
              eligible_for_funding: true,
              targeted_delivery_funding_eligibility: false,
              teacher_catchment: true,
              teacher_catchment_country: 'United Kingdom of Great Britain and Northern Ireland',
              teacher_catchment_iso_country_code: 'GBR',
              itt_provider: null,
              lead_mentor: false,
              funded_place: true,
              created_at: stamp,
              updated_at: stamp,
              schedule_identifier: schedule,
              works_as_senco: true,
              senco_start_date: '2021-09-01',
            },
          };
          state.applications.push(a);
          return a;
        },
        addStatement({ month = 'May', year = '2026', cohort = '2025', cutOff = '2026-04-30', payment = '2026-05-25', paid = false } = {}) {
          const stamp = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
          const s = { id: crypto.randomUUID(), type: 'statement', attributes: { month, year, cohort, cut_off_date: cutOff, payment_date: payment, paid, created_at: stamp, updated_at: stamp } };
          state.statements.push(s);
          return s;
        },
        stop: () => new Promise((r) => { server.closeAllConnections(); server.close(() => r()); }),
      });
    });
  });
}

module.exports = { startFakeDfe };
