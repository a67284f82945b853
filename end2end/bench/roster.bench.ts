// 名簿アップロード in the browser with 100,000 rows: the wall time from 確認画面へ to the
// preview, and from この内容で適用する to the applied page (SQLite), as a 管理者 sees them.
// Writes JSON to $BENCH_OUT_ROSTER for scripts/bench.sh.
import { test, expect, startPortal } from '../fixtures';
import { enrolStaff, staffLogin } from '../helpers';
import { writeFileSync } from 'node:fs';

const ROWS = 100_000;

test('roster upload of 100,000 rows: preview and apply', async ({ browser, mailbox }) => {
  // A portal of its own: the generated numbers must not meet other tests' members.
  const { portal, stop } = await startPortal(mailbox);
  const context = await browser.newContext({ baseURL: portal.baseURL });
  const page = await context.newPage();
  let csv = 'kigo,bango,birth_date,name,name_kana,email,status\n';
  for (let i = 0; i < ROWS; i++) {
    csv += `77,${i + 1},19${50 + (i % 50)}-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')},被保険者 ${i},ヒホケンシャ,upload${i}@bench-corp.example,在職\n`;
  }
  const { email, secret } = await enrolStaff(page, portal, 'admin', '管理 計測');
  await staffLogin(page, email, secret);
  await page.goto('/staff/roster');
  await page.getByLabel('名簿ファイル（CSV）').setInputFiles({ name: 'roster.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });

  let start = Date.now();
  await page.getByRole('button', { name: '確認画面へ' }).click();
  await expect(page.getByTestId('roster-new')).toHaveText(String(ROWS), { timeout: 120_000 });
  const previewMs = Date.now() - start;

  start = Date.now();
  await page.getByRole('button', { name: 'この内容で適用する' }).click();
  await expect(page.getByTestId('applied')).toBeVisible({ timeout: 120_000 });
  const applyMs = Date.now() - start;

  const result = { rows: ROWS, preview_ms: previewMs, apply_ms: applyMs };
  console.log(JSON.stringify(result));
  if (process.env.BENCH_OUT_ROSTER) writeFileSync(process.env.BENCH_OUT_ROSTER, JSON.stringify(result));
  await context.close();
  await stop();
});
