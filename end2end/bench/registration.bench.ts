// Wall time of one registration (steps 1–5 with both mails through the SMTP fixture),
// one at a time and four at once. Writes JSON to $BENCH_OUT for scripts/bench.sh.
import { test } from '../fixtures';
import { newMember, registerMember } from '../helpers';
import { writeFileSync } from 'node:fs';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

test('registration wizard wall time', async ({ browser, portal, mailbox }) => {
  const once = async () => {
    const context = await browser.newContext({ baseURL: portal.baseURL });
    const page = await context.newPage();
    const member = await newMember(portal, 'bench');
    const start = Date.now();
    await registerMember(page, mailbox, member);
    const ms = Date.now() - start;
    await context.close();
    return ms;
  };
  await once(); // warm-up: wasm compiled and cached, connections open
  const sequential: number[] = [];
  for (let i = 0; i < 5; i++) sequential.push(await once());
  const parallel: number[] = [];
  const rounds: number[] = [];
  for (let r = 0; r < 2; r++) {
    const start = Date.now();
    parallel.push(...(await Promise.all([once(), once(), once(), once()])));
    rounds.push(Date.now() - start);
  }
  const result = { sequential_ms: median(sequential), parallel4_each_ms: median(parallel), parallel4_round_ms: median(rounds) };
  console.log(JSON.stringify(result));
  if (process.env.BENCH_OUT) writeFileSync(process.env.BENCH_OUT, JSON.stringify(result));
});
