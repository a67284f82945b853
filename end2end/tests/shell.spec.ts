import { test, expect, waitHydrated, SOCIETY_NAME, SOCIETY_CONTACT } from '../fixtures';

test('the start page renders in Japanese and hydrates without errors', async ({ page }) => {
  const response = await page.goto('/');
  expect(response?.status()).toBe(200);
  await expect(page.locator('html')).toHaveAttribute('lang', 'ja');
  await expect(page.locator('.site-header')).toContainText('健康マイポータル');
  await expect(page.locator('.site-header')).toContainText(SOCIETY_NAME);
  await expect(page.locator('.site-footer')).toContainText(SOCIETY_CONTACT);
  await waitHydrated(page);
  // The page fits the viewport: nothing to scroll sideways on a 360 px phone.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
});

test('pages carry the security headers and a CSP nonce that the hydration script uses', async ({ page }) => {
  const response = await page.goto('/');
  const headers = response!.headers();
  const csp = headers['content-security-policy'];
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).toContain("'wasm-unsafe-eval'");
  const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
  expect(nonce).toBeTruthy();
  expect(headers['x-content-type-options']).toBe('nosniff');
  expect(headers['referrer-policy']).toBe('same-origin');
  expect(headers['cache-control']).toBe('no-store');
  // Every inline script carries the nonce, so the strict CSP lets hydration run.
  const scripts = await page.locator('script:not([src])').evaluateAll((els) => els.map((e) => (e as HTMLScriptElement).nonce));
  expect(scripts.length).toBeGreaterThan(0);
  for (const n of scripts) expect(n).toBe(nonce);
  await waitHydrated(page);
});

test('assets are served compressed', async ({ request }) => {
  for (const [file, encodings] of [['/pkg/portal.wasm', 'br'], ['/pkg/portal.js', 'gzip']] as const) {
    const res = await request.get(file, { headers: { 'accept-encoding': encodings } });
    expect(res.status(), file).toBe(200);
    expect(res.headers()['content-encoding'], file).toBe(encodings);
    // Names carry no content hash: revalidated on every use (a 304 costs no body), never stale
    // after an upgrade.
    expect(res.headers()['cache-control'], file).toBe('no-cache');
    const again = await request.get(file, { headers: { 'accept-encoding': encodings, 'if-modified-since': res.headers()['last-modified'] } });
    expect(again.status(), file).toBe(304);
  }
});

test.describe('unknown pages', () => {
  test.use({ allowedConsoleErrors: [/status of 404/] });

  test('an unknown address shows the 404 page with a way back', async ({ page }) => {
    const response = await page.goto('/no-such-page');
    expect(response?.status()).toBe(404);
    await expect(page.getByRole('heading', { name: 'ページが見つかりません' })).toBeVisible();
    await page.getByRole('link', { name: 'ログイン画面へ戻る' }).click();
    await expect(page).toHaveURL(/\/$/);
  });
});

test('a form post from another site is refused', async ({ request, baseURL }) => {
  const res = await request.post('/api/anything', {
    headers: { origin: 'https://evil.example', 'content-type': 'application/x-www-form-urlencoded' },
    data: 'a=1',
  });
  expect(res.status()).toBe(403);
  expect(await res.text()).toContain('送信できませんでした');
  const same = await request.post('/api/anything', { headers: { origin: baseURL! }, data: 'a=1' });
  expect(same.status()).not.toBe(403);
});

test('what a member types while the page is still loading stays when the form becomes interactive', async ({ page }) => {
  // An old phone: the page is shown and typed into before its wasm has arrived.
  let release!: () => void;
  const held = new Promise<void>((r) => { release = r; });
  await page.route('**/pkg/portal.wasm', async (route) => { await held; await route.continue(); });
  await page.goto('/register');
  const email = page.getByLabel('会社メールアドレス');
  await email.fill('taro.yamada@example');
  release();
  await waitHydrated(page);
  await expect(email).toHaveValue('taro.yamada@example');
  await email.press('End');
  await email.pressSequentially('@');
  await expect(page.locator('#email-error')).toContainText('メールアドレスの形式が正しくありません');
});
