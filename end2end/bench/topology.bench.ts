// The production topology under load (deploy/README.md): logins/s and GET req/s through nginx
// (TLS) to two instances, next to one of those instances asked directly — same run, same
// PostgreSQL database, same 200 members. Writes JSON to $BENCH_OUT_TOPOLOGY for scripts/bench.sh.
import { test, expect } from '../fixtures';
import { Topology } from '../topology';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

type Load = { rps: number; p50_ms: number; p99_ms: number; non2xx: number };

function wrk(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Load> {
  return new Promise((resolve, reject) => {
    execFile('wrk', ['--latency', ...args], { env: { ...process.env, ...env } }, (error, stdout) => {
      if (error) return reject(error);
      const ms = (v: string) => (v.endsWith('us') ? parseFloat(v) / 1000 : v.endsWith('ms') ? parseFloat(v) : parseFloat(v) * 1000);
      const latency = (q: string) => ms(new RegExp(`^\\s+${q}%\\s+(\\S+)`, 'm').exec(stdout)![1]);
      resolve({
        rps: parseFloat(/^Requests\/sec:\s+(\S+)/m.exec(stdout)![1]),
        p50_ms: latency('50'),
        p99_ms: latency('99'),
        non2xx: Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(stdout)?.[1] ?? 0),
      });
    });
  });
}

test('two instances behind nginx vs one instance direct', async ({ mailbox }) => {
  const topology = await Topology.start(mailbox);
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-topology-'));
  // 200 members with paper letters: a login storm is many members (one ID's logins at once are
  // throttled like guessing).
  let csv = 'kigo,bango,birth_date,name,name_kana,email,status\n';
  for (let i = 0; i < 200; i++) csv += `91,${i + 1},1980-01-01,被保険者 ${i},,,在職\n`;
  writeFileSync(path.join(dir, 'members.csv'), csv);
  expect((await topology.cli('import-roster', path.join(dir, 'members.csv'))).code).toBe(0);
  const issued = await topology.cli('issue-temp-credentials', '--all-without-email', '--out', path.join(dir, 'letters.csv'));
  expect(issued.code, issued.stderr).toBe(0);
  const logins = readFileSync(path.join(dir, 'letters.csv'), 'utf8').replace(/^\uFEFF/, '').trim().split('\n').slice(1)
    .map((row) => row.split(',')).map((r) => `${r[3]}\t${encodeURIComponent(r[4])}`);
  writeFileSync(path.join(dir, 'logins.tsv'), logins.join('\n') + '\n');
  const direct = topology.instances[0].url;
  const action = /action="(\/api\/login[^"]*)"/.exec(await (await fetch(`${direct}/`)).text())![1];
  const get = (base: string) => wrk(['-t2', '-c16', '-d10s', `${base}/`]);
  const login = (base: string) => wrk(['-t2', '-c16', '-d15s', '-s', path.join(__dirname, 'login.lua'), `${base}${action}`],
    { LOGINS: path.join(dir, 'logins.tsv'), ORIGIN: topology.baseURL });
  // Between two login runs, the logins wrk left in flight finish first (they run to their end).
  const settle = () => new Promise((r) => setTimeout(r, 3000));
  const result = {
    get_direct: await get(direct),
    get_nginx: await get(topology.baseURL),
    login_direct: await login(direct),
    login_nginx: await settle().then(() => login(topology.baseURL)),
  };
  console.log(JSON.stringify(result));
  if (process.env.BENCH_OUT_TOPOLOGY) writeFileSync(process.env.BENCH_OUT_TOPOLOGY, JSON.stringify(result));
  await topology.stop();
});
