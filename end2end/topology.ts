// The production set-up of deploy/README.md on this machine: PostgreSQL, two instances of the
// release server on loopback ports, and Debian's nginx in front with TLS (a throwaway
// self-signed certificate), configured from deploy/nginx.conf itself — only addresses, ports and
// paths are changed, so the file an operator installs is the file tested.
import { execFile, spawn, ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Mailbox, Portal, REPO, Server, freePort, portalEnv, runCli, spawnServer } from './fixtures';

const NGINX = '/usr/sbin/nginx';
/** Shared by both instances, as deploy/README.md asks (rate-limit keys, CAPTCHAs, audit hashes). */
const SECRET_KEY = 'e2e-topology-secret-key-0123456789abcdef';

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { env, cwd: REPO }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${cmd} ${args.join(' ')}: ${error.message}\n${stderr}`));
      else resolve(stdout);
    });
  });
}

/** A PostgreSQL server: the integration tests' (scripts/pg.sh), or one of its own on `dir`. */
export class Postgres {
  constructor(readonly adminURL: string, private readonly env: NodeJS.ProcessEnv) {}

  static async shared(): Promise<Postgres> {
    const url = process.env.TEST_PG_URL ?? (await run(path.join(REPO, 'scripts', 'pg.sh'), [])).trim();
    return new Postgres(url, process.env);
  }

  /** A server nobody else uses (a test that restarts it must not disturb the others). */
  static async own(): Promise<Postgres> {
    const dir = mkdtempSync(path.join(tmpdir(), 'portal-pg-'));
    const env = { ...process.env, PORTAL_TEST_PG_PORT: String(await freePort()), PORTAL_TEST_PG_DIR: dir };
    return new Postgres((await run(path.join(REPO, 'scripts', 'pg.sh'), [], env)).trim(), env);
  }

  async restart() {
    await run(path.join(REPO, 'scripts', 'pg.sh'), ['restart'], this.env);
  }

  async stopOwn() {
    if (this.env.PORTAL_TEST_PG_DIR) {
      await run(path.join(REPO, 'scripts', 'pg.sh'), ['stop'], this.env);
      rmSync(this.env.PORTAL_TEST_PG_DIR, { recursive: true, force: true });
    }
  }

  /** The URL of `database` on this server. */
  url(database: string): string {
    return this.adminURL.replace(/\/[^/]*$/, `/${database}`);
  }

  async sql(query: string, database?: string): Promise<string> {
    const url = database ? this.url(database) : this.adminURL;
    return (await run('psql', ['-qAtX', '-v', 'ON_ERROR_STOP=1', url, '-c', query])).trim();
  }
}

/** GET over TLS without checking the throwaway certificate. */
export function httpsGet(url: string): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    https.get(url, { rejectUnauthorized: false }, (res) => {
      let body = '';
      res.on('data', (d) => { body += d; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    }).on('error', reject);
  });
}

/** Each string must occur in the deploy file: if the file changes shape, the test says so. */
function replaceAll(text: string, pairs: [string, string][]): string {
  for (const [from, to] of pairs) {
    if (!text.includes(from)) throw new Error(`deploy/nginx.conf no longer contains ${JSON.stringify(from)}`);
    text = text.split(from).join(to);
  }
  return text;
}

export type Instance = { port: number; url: string; env: NodeJS.ProcessEnv; server: Server | null };

export class Topology implements Portal {
  readonly instances: Instance[] = [];
  private nginx: ChildProcess | null = null;

  private constructor(
    readonly baseURL: string,
    readonly env: NodeJS.ProcessEnv,
    readonly database: string,
    readonly postgres: Postgres,
    private readonly dir: string,
  ) {}

  /** Starts PostgreSQL's database, both instances (the demo roster imported) and nginx. */
  static async start(mailbox: Mailbox, { postgres, extraEnv = {} }: { postgres?: Postgres; extraEnv?: NodeJS.ProcessEnv } = {}) {
    const pg = postgres ?? (await Postgres.shared());
    const database = `prod_${Date.now()}_${Math.floor(Math.random() * 1e6)}`;
    await pg.sql(`CREATE DATABASE ${database}`);
    const dir = mkdtempSync(path.join(tmpdir(), 'portal-prod-'));
    const port = await freePort();
    const baseURL = `https://127.0.0.1:${port}`;
    const databaseURL = pg.url(database);
    const env = (instancePort: number) => portalEnv(mailbox, databaseURL, instancePort, baseURL, {
      TRUSTED_PROXIES: '127.0.0.1', SECRET_KEY, ...extraEnv,
    });
    const topology = new Topology(baseURL, env(0), database, pg, dir);
    for (let i = 0; i < 2; i++) {
      const p = await freePort();
      topology.instances.push({ port: p, url: `http://127.0.0.1:${p}`, env: env(p), server: null });
    }
    const imported = await topology.cli('import-roster', path.join(REPO, 'demo', 'roster.csv'));
    if (imported.code !== 0) throw new Error(`import-roster failed: ${imported.stderr}`);
    // Both at once, as after a reboot: one migrates (advisory lock), the other finds it done.
    await Promise.all([0, 1].map((i) => topology.startInstance(i)));
    await topology.startNginx(port);
    return topology;
  }

  cli(...args: string[]) {
    return runCli(this.env, args);
  }

  output() {
    return this.instances.map((i, n) => `--- instance ${n}\n${i.server?.output() ?? '(stopped)'}`).join('\n');
  }

  async startInstance(i: number) {
    const instance = this.instances[i];
    instance.server = await spawnServer(instance.env, `${instance.url}/readyz`);
  }

  /** Stops an instance with `signal`; resolves with its exit code when it has exited. */
  async stopInstance(i: number, signal: NodeJS.Signals = 'SIGTERM') {
    const server = this.instances[i].server;
    this.instances[i].server = null;
    return server ? server.stop(signal) : null;
  }

  private async startNginx(port: number) {
    const [a, b] = this.instances;
    const cert = path.join(this.dir, 'cert.pem');
    const key = path.join(this.dir, 'key.pem');
    await run('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2',
      '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', key, '-out', cert]);
    const site = replaceAll(readFileSync(path.join(REPO, 'deploy', 'nginx.conf'), 'utf8'), [
      ['server 127.0.0.1:3001 ', `server 127.0.0.1:${a.port} `],
      ['server 127.0.0.1:3002 ', `server 127.0.0.1:${b.port} `],
      ['    listen 80;\n    listen [::]:80;\n', `    listen 127.0.0.1:${await freePort()};\n`],
      ['    listen 443 ssl http2;\n    listen [::]:443 ssl http2;\n', `    listen 127.0.0.1:${port} ssl http2;\n`],
      ['/etc/letsencrypt/live/portal.example.jp/fullchain.pem', cert],
      ['/etc/letsencrypt/live/portal.example.jp/privkey.pem', key],
      ['/var/log/nginx/portal.access.log', path.join(this.dir, 'portal-access.log')],
    ]);
    writeFileSync(path.join(this.dir, 'portal.conf'), site);
    const temp = path.join(this.dir, 'temp');
    mkdirSync(temp);
    if (process.getuid?.() === 0) {
      // nginx's workers run as nobody: they pass through the directory and write their temp files.
      chmodSync(this.dir, 0o711);
      chownSync(temp, 65534, 65534);
    }
    writeFileSync(path.join(this.dir, 'nginx.conf'), `
daemon off;
worker_processes 1;
pid ${this.dir}/nginx.pid;
error_log ${this.dir}/error.log warn;
events { worker_connections 1024; }
http {
  access_log ${this.dir}/access.log;
  client_body_temp_path ${temp}/body;
  proxy_temp_path ${temp}/proxy;
  fastcgi_temp_path ${temp}/fastcgi;
  uwsgi_temp_path ${temp}/uwsgi;
  scgi_temp_path ${temp}/scgi;
  # Tests only: which instance answered (the wizard's steps must land on both).
  add_header X-Test-Upstream $upstream_addr always;
  include ${this.dir}/portal.conf;
}
`);
    const proc = spawn(NGINX, ['-p', this.dir, '-e', `${this.dir}/error.log`, '-c', `${this.dir}/nginx.conf`], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    proc.stderr!.on('data', (d) => { output += d; });
    this.nginx = proc;
    const deadline = Date.now() + 10_000;
    for (;;) {
      if (proc.exitCode !== null) throw new Error(`nginx exited: ${output}${readFileSync(`${this.dir}/error.log`, 'utf8')}`);
      try {
        if ((await httpsGet(`${this.baseURL}/readyz`)).status === 200) return;
      } catch { /* not listening yet */ }
      if (Date.now() > deadline) throw new Error(`nginx not ready: ${output}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** nginx's access log so far (for a failing test's message). */
  accessLog() {
    return readFileSync(path.join(this.dir, 'access.log'), 'utf8');
  }

  async stop() {
    if (this.nginx && this.nginx.exitCode === null) {
      const exited = new Promise((r) => this.nginx!.once('exit', r));
      this.nginx.kill('SIGQUIT');
      await exited;
    }
    await Promise.all(this.instances.map((_, i) => this.stopInstance(i)));
    await this.postgres.sql(`DROP DATABASE IF EXISTS ${this.database} WITH (FORCE)`).catch(() => {});
    rmSync(this.dir, { recursive: true, force: true });
  }
}
