// The production topology (project "production": deploy/nginx.conf with TLS in front of two
// instances on one PostgreSQL database) and its faults: an instance killed mid-wizard, an
// instance stopped during a login storm, PostgreSQL restarted, the SMTP server down for a minute.
import { APIRequestContext, Browser, Response, request as playwrightRequest } from '@playwright/test';
import { test, expect, Mailbox } from '../fixtures';
import { actionOf, confirmKeyAndFinish, gotoReady, linkIn, login, newMember, passIdentity, registerMember, startRegistration, GOOD_PASSWORD } from '../helpers';
import { Postgres, Topology, httpsGet } from '../topology';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** A browser context on `topology` (a fault test's own portal) that records who answered. */
async function visitor(browser: Browser, topology: Topology) {
  const context = await browser.newContext({ baseURL: topology.baseURL, ignoreHTTPSErrors: true });
  const answers: { url: string; method: string; status: number; upstream: string }[] = [];
  context.on('response', (r: Response) => {
    answers.push({ url: r.url(), method: r.request().method(), status: r.status(), upstream: r.headers()['x-test-upstream'] ?? '' });
  });
  return { context, page: await context.newPage(), answers };
}

/** The instance ports seen in `X-Test-Upstream` (nginx lists both when it retried). */
const upstreams = (answers: { upstream: string }[]) =>
  new Set(answers.flatMap((a) => a.upstream.split(/,\s*/)).filter((u) => u.startsWith('127.0.0.1:')));

async function api(topology: Topology): Promise<APIRequestContext> {
  return playwrightRequest.newContext({ baseURL: topology.baseURL, ignoreHTTPSErrors: true, extraHTTPHeaders: { origin: topology.baseURL } });
}

test('through nginx: TLS with HSTS, Secure cookies, one request ID, and the wizard\'s steps on both instances', async ({ page, portal, mailbox }) => {
  const topology = portal as Topology;
  expect((await httpsGet(`${topology.baseURL}/readyz`)).body).toBe('ready\n');
  const seen: { method: string; path: string; upstream: string }[] = [];
  page.on('response', (r) => {
    seen.push({ method: r.request().method(), path: new URL(r.url()).pathname, upstream: r.headers()['x-test-upstream'] ?? '' });
  });
  const m = await newMember(portal, 'prod');
  const loginId = await registerMember(page, mailbox, m);
  // Round robin without stickiness: the wizard's steps (its posts and the pages that read what
  // they stored) were answered by both instances. Posts alone can all land on one instance when
  // the assets fetched between them happen to be an even number.
  const steps = seen.filter((s) => s.method === 'POST' || (s.method === 'GET' && s.path.startsWith('/register')));
  expect(upstreams(steps), JSON.stringify(steps)).toEqual(new Set(topology.instances.map((i) => `127.0.0.1:${i.port}`)));

  const home = page.waitForResponse((r) => r.url().endsWith('/home') && r.request().method() === 'GET');
  await login(page, loginId);
  await expect(page.getByRole('heading', { name: `${m.name}さん` })).toBeVisible();
  const headers = (await home).headers();
  expect(headers['strict-transport-security']).toBe('max-age=63072000; includeSubDomains');
  // nginx's $request_id reached the portal, which answers with it.
  expect(headers['x-request-id']).toMatch(/^[0-9a-f]{32}$/);
  // Behind https the session cookie takes the __Host- prefix (this host only, Secure, Path=/).
  const session = (await page.context().cookies()).find((c) => c.name === '__Host-portal_session');
  expect(session).toMatchObject({ secure: true, httpOnly: true, sameSite: 'Lax', path: '/' });

  // The session is in the database: each instance, asked directly, knows the member.
  for (const instance of topology.instances) {
    const direct = await fetch(`${instance.url}/home`, { headers: { cookie: `__Host-portal_session=${session!.value}` }, redirect: 'manual' });
    expect(direct.status, instance.url).toBe(200);
    expect((await direct.text()).replace(/<!>|<!--.*?-->/g, '')).toContain(`${m.name}さん`);
  }
});

test('a lock made through one instance holds on the other', async ({ page, portal, mailbox }) => {
  const topology = portal as Topology;
  const m = await newMember(portal, 'prodlock');
  const loginId = await registerMember(page, mailbox, m);
  await gotoReady(page, '/');
  const action = await actionOf(page, 'login_id');
  // LOGIN_LOCK_AFTER=4: four failures, alternating between the instances behind nginx.
  for (let i = 0; i < 4; i++) await login(page, loginId, 'Wrong#Pass12');
  await mailbox.waitForMail(m.email, 'ログインの一時ロックのお知らせ');
  for (const instance of topology.instances) {
    const answer = await fetch(`${instance.url}${action}`, {
      method: 'POST',
      headers: { origin: topology.baseURL, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ login_id: loginId, password: GOOD_PASSWORD, next: '/home' }),
      redirect: 'manual',
    });
    expect(answer.headers.get('set-cookie') ?? '', instance.url).not.toContain('portal_session=');
    expect(answer.headers.get('location') ?? '', instance.url).not.toContain('/home');
  }
});

test('a per-address mail limit holds across instances: six step-1 posts at once, three mails', async ({ portal, mailbox }) => {
  const topology = portal as Topology;
  const client = await api(topology);
  const registerPage = await (await client.get('/register')).text();
  const action = /<form[^>]*action="(\/api\/start_registration[^"]*)"/.exec(registerPage)![1];
  const address = `limit-${Date.now()}@nowhere.test`;
  const answers = await Promise.all(Array.from({ length: 6 }, () => client.post(action, { form: { email: address }, maxRedirects: 0 })));
  expect(answers.map((a) => a.status()).filter((s) => s >= 400)).toEqual([]);
  expect(upstreams(answers.map((a) => ({ upstream: a.headers()['x-test-upstream'] ?? '' }))).size, 'both instances answered').toBe(2);
  // MAILS_PER_ADDRESS_PER_HOUR = 3, counted in the database whichever instance answers.
  const queued = (extra = '') => topology.postgres.sql(`SELECT COUNT(*) FROM mail_outbox WHERE recipient = '${address}'${extra}`, topology.database);
  expect(await queued()).toBe('3');
  await expect.poll(() => queued(' AND sent_at IS NULL'), { timeout: 30_000 }).toBe('0');
  expect(mailbox.find(address, '利用登録を開始できませんでした')).toHaveLength(3);
  await client.dispose();
});

test.describe('faults', () => {
  test.describe.configure({ timeout: 180_000 });

  let own: Topology[] = [];
  test.afterEach(async () => {
    await Promise.all(own.map((t) => t.stop()));
    own = [];
  });
  const start = async (mailbox: Mailbox, postgres?: Postgres) => {
    const t = await Topology.start(mailbox, { postgres });
    own.push(t);
    return t;
  };

  test('an instance killed (SIGKILL) in the middle of the wizard: the member finishes on the other', async ({ browser, mailbox }) => {
    const topology = await start(mailbox);
    const { page, answers, context } = await visitor(browser, topology);
    const m = await newMember(topology, 'kill');
    const { key, m2Link } = await passIdentity(page, mailbox, m);
    expect(await topology.stopInstance(0, 'SIGKILL')).toBeNull();
    const afterKill = answers.length;

    const loginId = await confirmKeyAndFinish(page, m2Link, key);
    await mailbox.waitForMail(m.email, '利用登録完了のご案内');
    await login(page, loginId);
    await expect(page.getByRole('heading', { name: `${m.name}さん` })).toBeVisible();
    const later = answers.slice(afterKill);
    expect(later.filter((a) => a.status >= 500), JSON.stringify(later)).toEqual([]);
    // Every answer came from the survivor (a request nginx first tried on the dead one was
    // passed on: nothing had been sent).
    expect(later.every((a) => a.upstream === '' || a.upstream.endsWith(`:${topology.instances[1].port}`)), JSON.stringify(later)).toBe(true);
    await context.close();
  });

  test('an instance stopped (SIGTERM) during a login storm: no login fails, none is replayed', async ({ mailbox }) => {
    const topology = await start(mailbox);
    // Eight members with paper letters (a storm is many members: one ID's logins at once are
    // throttled like guessing).
    const members = await Promise.all(Array.from({ length: 8 }, (_, i) => newMember(topology, `storm${i}`, { withEmail: false })));
    const out = path.join(mkdtempSync(path.join(tmpdir(), 'storm-')), 'letters.csv');
    const issued = await topology.cli('issue-temp-credentials', ...members.flatMap((m) => ['--member', `${m.kigo}-${m.bango}`]), '--out', out);
    expect(issued.code, issued.stderr).toBe(0);
    const credentials = readFileSync(out, 'utf8').replace(/^\uFEFF/, '').trim().split('\n').slice(1).map((row) => row.split(',').slice(3, 5));
    expect(credentials).toHaveLength(8);
    const client = await api(topology);
    const loginPage = await client.get('/');
    const action = /action="(\/api\/login[^"]*)"/.exec(await loginPage.text())![1];

    const results: { status: number; session: boolean; upstream: string }[] = [];
    let stopped: Promise<number | null> | null = null;
    const TOTAL = 80;
    // Each member's browser logs in again as soon as it is answered: eight logins in flight.
    await Promise.all(credentials.map(async ([loginId, password]) => {
      while (results.length < TOTAL) {
        const answer = await client.post(action, { form: { login_id: loginId, password, next: '/home' }, maxRedirects: 0 });
        const session = (answer.headers()['set-cookie'] ?? '').includes('portal_session=');
        results.push({ status: answer.status(), session, upstream: answer.headers()['x-test-upstream'] ?? '' });
        if (results.length === 20 && !stopped) stopped = topology.stopInstance(0, 'SIGTERM');
      }
    }));
    // It finished the logins in hand and exited cleanly.
    expect(await stopped).toBe(0);
    const failed = results.filter((r) => r.status >= 400 || !r.session);
    expect(failed, JSON.stringify(failed)).toEqual([]);
    const first = `127.0.0.1:${topology.instances[0].port}`;
    expect(results.slice(0, 20).some((r) => r.upstream === first), 'the stopped instance served before').toBe(true);
    expect(results.slice(-20).every((r) => !r.upstream.includes(first)), 'and nothing after').toBe(true);
    // Each answered login is one session: nginx replayed no POST on the other instance.
    const sessions = await topology.postgres.sql('SELECT COUNT(*) FROM sessions', topology.database);
    expect(Number(sessions)).toBe(results.length);
    await client.dispose();
  });

  test('PostgreSQL restarted while idle: the portal recovers without a restart', async ({ browser, mailbox }) => {
    const postgres = await Postgres.own();
    try {
      const topology = await start(mailbox, postgres);
      const { page, context } = await visitor(browser, topology);
      const m = await newMember(topology, 'pgrestart');
      const loginId = await registerMember(page, mailbox, m);
      const pids = topology.instances.map((i) => i.server!.proc.pid);

      await postgres.restart();

      // Both instances (round robin) serve a login, then a registration start that writes.
      for (let i = 0; i < 2; i++) {
        await login(page, loginId);
        await expect(page.getByRole('heading', { name: `${m.name}さん` })).toBeVisible();
        await context.clearCookies();
      }
      const other = await newMember(topology, 'pgrestart2');
      await startRegistration(page, other.email);
      await mailbox.waitForMail(other.email, '利用登録手続きのご案内');
      for (const instance of topology.instances) expect((await fetch(`${instance.url}/readyz`)).status).toBe(200);
      expect(topology.instances.map((i) => i.server!.proc.pid)).toEqual(pids);
      await context.close();
      await topology.stop();
      own = [];
    } finally {
      await postgres.stopOwn();
    }
  });

  test('the SMTP server down for a minute: every mail arrives once afterwards, with two workers competing', async ({ browser }) => {
    const smtp = new Mailbox();
    await smtp.start();
    const topology = await start(smtp);
    const { page, context } = await visitor(browser, topology);
    const members = [];
    for (let i = 0; i < 3; i++) members.push(await newMember(topology, `smtpdown${i}`));

    await smtp.stop();
    const down = Date.now();
    // Six mails, queued through both instances while the server is down.
    for (const m of members) {
      await startRegistration(page, m.email);
      await startRegistration(page, `${m.email}.unknown.test`);
    }
    const pending = () => topology.postgres.sql('SELECT COUNT(*) FROM mail_outbox WHERE sent_at IS NULL AND failed_at IS NULL', topology.database);
    // The workers tried and failed (the outage is real), and nothing was given up.
    await expect.poll(async () => Number(await topology.postgres.sql('SELECT COUNT(*) FROM mail_outbox WHERE attempts > 0 AND sent_at IS NULL', topology.database)), { timeout: 30_000 }).toBe(6);
    await new Promise((r) => setTimeout(r, Math.max(0, 60_000 - (Date.now() - down))));
    await smtp.start(smtp.port);

    await expect.poll(async () => Number(await pending()), { timeout: 120_000, intervals: [1000] }).toBe(0);
    for (const m of members) {
      expect(smtp.find(m.email, '利用登録手続きのご案内')).toHaveLength(1);
      expect(smtp.find(`${m.email}.unknown.test`, '利用登録を開始できませんでした')).toHaveLength(1);
    }
    expect(smtp.mails).toHaveLength(6);
    // The first one still works (its link outlived the outage).
    await gotoReady(page, linkIn(smtp.find(members[0].email, '利用登録手続きのご案内')[0].text, '/register/verify/'));
    await expect(page.getByLabel('記号')).toBeVisible();
    await context.close();
    await smtp.stop();
  });
});
