// Fixtures for every browser test: a real SMTP listener (the member's mailbox) and the
// release server on a free port with a fresh SQLite database and the demo roster.
import { test as base, expect } from '@playwright/test';
import { spawn, execFile, ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import net from 'node:net';
import path from 'node:path';
import { SMTPServer } from 'smtp-server';
import { simpleParser } from 'mailparser';
// topology.ts imports this module too: it uses these exports only when called, after both loaded.
import { Topology } from './topology';

export const REPO = path.resolve(__dirname, '..');
export const SERVER_BIN = path.join(REPO, 'target', 'release', 'server');
export const CAPTCHA_TEST_ANSWER = 'E2ETEST';
export const SOCIETY_NAME = 'テスト健康保険組合';
export const INQUIRY_INBOX = 'madoguchi@kenpo.test';
export const SOCIETY_CONTACT = 'テスト健康保険組合 適用課 電話 03-1234-5678';

export type Mail = { to: string[]; subject: string; text: string; messageId: string; headers: Map<string, string> };

/** A real SMTP server on loopback that keeps what it receives. */
export class Mailbox {
  readonly mails: Mail[] = [];
  /** How many coming transactions to refuse with 421 (an SMTP outage). */
  refuseNext = 0;
  private waiters = new Set<() => void>();
  port = 0;
  private server!: SMTPServer;

  private build(): SMTPServer {
    return new SMTPServer({
      authOptional: true,
      // `stop` is an outage: pooled connections of the portal are cut at once, not after 30 s.
      closeTimeout: 200,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onMailFrom: (_address, _session, callback) => {
        if (this.refuseNext > 0) {
          this.refuseNext -= 1;
          const err = Object.assign(new Error('Service not available, try later'), { responseCode: 421 });
          return callback(err);
        }
        callback();
      },
      onData: (stream, _session, callback) => {
        simpleParser(stream)
          .then((parsed) => {
            const to = (Array.isArray(parsed.to) ? parsed.to : parsed.to ? [parsed.to] : [])
              .flatMap((a) => a.value.map((v) => (v.address ?? '').toLowerCase()));
            // Raw header lines (lower-case names), e.g. List-Unsubscribe as the mail program reads it.
            const headers = new Map(parsed.headerLines.map((h) => [h.key, h.line.slice(h.line.indexOf(':') + 1).trim()]));
            this.mails.push({ to, subject: parsed.subject ?? '', text: parsed.text ?? '', messageId: parsed.messageId ?? '', headers });
            this.waiters.forEach((w) => w());
            callback();
          })
          .catch(callback);
      },
    });
  }

  /** Listens on `port` (any free one by default); after `stop`, again on the same port. */
  async start(port = 0): Promise<void> {
    this.server = this.build();
    await new Promise<void>((resolve) => this.server.listen(port, '127.0.0.1', resolve));
    this.port = (this.server.server.address() as net.AddressInfo).port;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Mails received for `to` whose subject contains (or matches) `subject`. */
  find(to: string, subject: string | RegExp): Mail[] {
    const match = (s: string) => (typeof subject === 'string' ? s.includes(subject) : subject.test(s));
    return this.mails.filter((m) => m.to.includes(to.toLowerCase()) && match(m.subject));
  }

  /** Waits for the first mail to `to` with that subject (after the `skip` first ones). */
  async waitForMail(to: string, subject: string | RegExp, timeoutMs = 30_000, skip = 0): Promise<Mail> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.find(to, subject);
      if (found.length > skip) return found[skip];
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no mail to ${to} with subject ${subject} within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const done = () => { this.waiters.delete(done); clearTimeout(timer); resolve(); };
        const timer = setTimeout(done, left);
        this.waiters.add(done);
      });
    }
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

export type Portal = {
  baseURL: string;
  env: NodeJS.ProcessEnv;
  /** Runs a `server` subcommand against this portal's database and mail set-up. */
  cli: (...args: string[]) => Promise<{ code: number; stdout: string; stderr: string }>;
  /** What the server printed so far (for debugging a failure). */
  output: () => string;
};

export function runCli(env: NodeJS.ProcessEnv, args: string[]) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(SERVER_BIN, args, { env, cwd: REPO }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

async function waitHealthy(url: string, proc: ChildProcess, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null) throw new Error(`server exited with ${proc.exitCode}`);
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch { /* not listening yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`server not healthy within ${timeoutMs} ms`);
}

/** The settings every test portal shares; `extraEnv` overrides them. */
export function portalEnv(mailbox: Mailbox, databaseUrl: string, port: number, publicURL: string, extraEnv: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    DATABASE_URL: databaseUrl,
    LEPTOS_SITE_ADDR: `127.0.0.1:${port}`,
    LEPTOS_SITE_ROOT: path.join(REPO, 'target', 'site'),
    PUBLIC_URL: publicURL,
    SMTP_URL: `smtp://127.0.0.1:${mailbox.port}`,
    MAIL_FROM: '健康マイポータル <info@kenpo.test>',
    INQUIRY_TO: INQUIRY_INBOX,
    SOCIETY_NAME,
    SOCIETY_CONTACT,
    CAPTCHA_TEST_ANSWER,
    RUST_LOG: 'warn',
    // Lock after 4 failures without delays first, so the lockout test takes seconds.
    LOGIN_DELAY_AFTER: '4',
    LOGIN_LOCK_AFTER: '4',
    // Every test of a worker comes from 127.0.0.1: the per-client CAPTCHA is tested on a
    // portal of its own (security.spec.ts).
    LOGIN_CLIENT_CAPTCHA_AFTER: '100000',
    REGISTRATION_CLIENT_CAPTCHA_AFTER: '100000',
    FORGOT_CLIENT_CAPTCHA_AFTER: '100000',
    ...extraEnv,
  };
}

/** A running `server serve`. */
export type Server = { proc: ChildProcess; output: () => string; stop: (signal?: NodeJS.Signals) => Promise<number | null> };

/** Starts `server serve` with `env` and waits until `healthURL` answers. */
export async function spawnServer(env: NodeJS.ProcessEnv, healthURL: string): Promise<Server> {
  let output = '';
  const proc = spawn(SERVER_BIN, ['serve'], { env, cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
  proc.stdout!.on('data', (d) => { output += d; });
  proc.stderr!.on('data', (d) => { output += d; });
  const exited = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));
  try {
    await waitHealthy(healthURL, proc, 30_000);
  } catch (e) {
    proc.kill('SIGKILL');
    throw new Error(`${e}\n${output}`);
  }
  const stop = async (signal: NodeJS.Signals = 'SIGTERM') => {
    if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
    return exited;
  };
  return { proc, output: () => output, stop };
}

/** Starts a portal on a fresh SQLite database with the demo roster; `extraEnv` overrides settings. */
export async function startPortal(mailbox: Mailbox, extraEnv: NodeJS.ProcessEnv = {}, host = '127.0.0.1') {
  const dir = mkdtempSync(path.join(tmpdir(), 'portal-e2e-'));
  const port = await freePort();
  const baseURL = `http://${host}:${port}`;
  const env = portalEnv(mailbox, `sqlite://${dir}/portal.db?mode=rwc`, port, baseURL, extraEnv);
  const imported = await runCli(env, ['import-roster', path.join(REPO, 'demo', 'roster.csv')]);
  if (imported.code !== 0) throw new Error(`import-roster failed: ${imported.stderr}`);
  const server = await spawnServer(env, `http://127.0.0.1:${port}/healthz`);
  const portal: Portal = { baseURL, env, cli: (...args) => runCli(env, args), output: server.output };
  const stop = async () => {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  return { portal, stop };
}

type TestFixtures = { consoleErrors: string[]; allowedConsoleErrors: RegExp[] };
type WorkerFixtures = { mailbox: Mailbox; portal: Portal; topology: boolean; portalHost: string };

export const test = base.extend<TestFixtures, WorkerFixtures>({
  mailbox: [async ({}, use) => {
    const mailbox = new Mailbox();
    await mailbox.start();
    await use(mailbox);
    await mailbox.stop();
  }, { scope: 'worker' }],

  /** The production project: the portal is two instances on PostgreSQL behind nginx with TLS. */
  topology: [false, { option: true, scope: 'worker' }],

  /** The name the portal is reached by: passkeys need a domain (`localhost`), not an IP address. */
  portalHost: ['127.0.0.1', { option: true, scope: 'worker' }],

  portal: [async ({ mailbox, topology, portalHost }, use) => {
    if (topology) {
      const running = await Topology.start(mailbox);
      await use(running);
      await running.stop();
      return;
    }
    const running = await startPortal(mailbox, {}, portalHost);
    await use(running.portal);
    await running.stop();
  }, { scope: 'worker' }],

  baseURL: async ({ portal }, use) => use(portal.baseURL),

  allowedConsoleErrors: [[], { option: true }],

  // Every test fails on a console error or an uncaught page error.
  consoleErrors: [async ({ page, allowedConsoleErrors }, use) => {
    const errors: string[] = [];
    page.on('console', (m) => {
      if (m.type() !== 'error' || allowedConsoleErrors.some((re) => re.test(m.text()))) return;
      // A server function answering 422/429 is a member's mistake shown next to a field, 410 a
      // link that can no longer be used (the page says so), and 401 sends the member to log in
      // (again): answers, not faults.
      if (m.location().url.includes('/api/') && /status of (401|410|422|429)/.test(m.text())) return;
      errors.push(`${m.text()} (${m.location().url})`);
    });
    page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
    await use(errors);
    expect(errors, 'console and page errors').toEqual([]);
  }, { auto: true }],
});

export { expect };

/** Waits until the wasm has hydrated the page (set by frontend/src/lib.rs). */
export async function waitHydrated(page: import('@playwright/test').Page) {
  await page.locator('html[data-hydrated="true"]').waitFor({ state: 'attached', timeout: 20_000 });
}
