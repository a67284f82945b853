// What an attacker tries, as an attacker sends it: many requests at once, hostile redirects,
// oversized bodies; and what an office of members sharing one address still gets.
import { test, expect, startPortal, waitHydrated, CAPTCHA_TEST_ANSWER } from '../fixtures';
import { actionOf, gotoReady, login, newMember, passIdentity, registerMember, GOOD_PASSWORD } from '../helpers';


test('40 認証キー guesses sent at once spend the registration: the right key is refused after', async ({ page, portal, mailbox, baseURL }) => {
  const m = await newMember(portal, 'keyrace');
  const { key, m2Link } = await passIdentity(page, mailbox, m);
  await gotoReady(page, m2Link);
  const action = await actionOf(page, 'identity_key');
  const token = await page.locator('input[name="token"]').inputValue();
  const guesses = Array.from({ length: 10000 }, (_, k) => String(k).padStart(4, '0')).filter((k) => k !== key).slice(0, 40);
  const answers = await Promise.all(guesses.map((g) =>
    page.request.post(action, { form: { token, identity_key: g }, headers: { origin: baseURL! }, maxRedirects: 0 })));
  for (const a of answers) {
    expect([303, 410, 422]).toContain(a.status());
    expect(a.headers()['location'] ?? '').not.toContain('/register/account');
  }
  await page.getByLabel('認証キー').fill(key);
  await page.getByRole('button', { name: '認証' }).click();
  await expect(page.getByText(/無効になりました|有効期限が切れているか、既に使用されています/).first()).toBeVisible();
  await expect(page).not.toHaveURL(/\/register\/account$/);
});

test('30 wrong passwords sent at once lock the ID as 30 in a row do', async ({ page, portal, mailbox, baseURL }) => {
  const m = await newMember(portal, 'pwrace');
  const loginId = await registerMember(page, mailbox, m);
  await gotoReady(page, '/');
  const action = await actionOf(page, 'login_id');
  const answers = await Promise.all(Array.from({ length: 30 }, () =>
    page.request.post(action, { form: { login_id: loginId, password: 'Wrong#Pass12', next: '/home' }, headers: { origin: baseURL! }, maxRedirects: 0 })));
  for (const a of answers) expect([302, 303, 422]).toContain(a.status());
  await login(page, loginId, GOOD_PASSWORD);
  await expect(page.getByRole('alert').filter({ hasText: '一時的にロックされています' })).toBeVisible();
  const notice = await mailbox.waitForMail(m.email, 'ログインの一時ロックのお知らせ');
  expect(notice.text).toContain('ロック');
  await page.waitForTimeout(1000);
  expect(mailbox.find(m.email, 'ログインの一時ロックのお知らせ')).toHaveLength(1);
});

test('after login the browser never leaves the site, whatever next= says', async ({ page, portal, mailbox, baseURL }) => {
  const m = await newMember(portal, 'nextlist');
  const loginId = await registerMember(page, mailbox, m);
  for (const next of ['/%09/evil.example', '//evil.example', '/%5Cevil.example', '%5C%5Cevil.example', 'https://evil.example', '/%0A/evil.example', '/%0D%0ASet-Cookie:x=1', '%09//evil.example']) {
    await page.context().clearCookies();
    await gotoReady(page, `/?next=${next}`);
    await page.getByLabel('ログインID').fill(loginId);
    await page.getByLabel('パスワード').fill(GOOD_PASSWORD);
    await page.getByRole('button', { name: 'ログイン', exact: true }).click();
    await expect(page, next).toHaveURL(`${baseURL}/home`);
    await expect(page.getByRole('heading', { name: `${m.name}さん` })).toBeVisible();
  }
});

test('a 10 MB form post is refused with a Japanese 413 page', async ({ page, baseURL }) => {
  await gotoReady(page, '/');
  const action = await actionOf(page, 'login_id');
  const res = await page.request.post(action, {
    headers: { origin: baseURL!, 'content-type': 'application/x-www-form-urlencoded' },
    data: `login_id=someone&password=${'a'.repeat(10 * 1024 * 1024)}&next=/home`,
    maxRedirects: 0,
  });
  expect(res.status()).toBe(413);
  expect(await res.text()).toContain('送信された内容が大きすぎるため');
  expect(res.headers()['content-security-policy']).toContain("frame-ancestors 'none'");
});

test('an office address past its limits gets the 認証文字 on login and step 1, never a refusal', async ({ browser, mailbox }) => {
  const office = await startPortal(mailbox, { LOGIN_CLIENT_CAPTCHA_AFTER: '2', REGISTRATION_CLIENT_CAPTCHA_AFTER: '1' });
  const context = await browser.newContext({ baseURL: office.portal.baseURL });
  try {
    const page = await context.newPage();
    const m = await newMember(office.portal, 'office');
    const loginId = await registerMember(page, mailbox, m);
    // Two colleagues mistype their IDs.
    for (const id of ['typo.one.here', 'typo.two.here']) {
      await login(page, id, 'Wrong#Pass12');
      await expect(page.getByRole('alert').filter({ hasText: 'ログインIDまたはパスワードが正しくありません。' })).toBeVisible();
    }
    // The next login from this address comes back to the login page, now with the 認証文字...
    await page.getByLabel('ログインID').fill(loginId);
    await page.getByLabel('パスワード').fill(GOOD_PASSWORD);
    await page.getByRole('button', { name: 'ログイン', exact: true }).click();
    await expect(page).toHaveURL(/\?captcha=required&next=\/home$/);
    await expect(page.getByRole('alert').filter({ hasText: '認証文字を入力してください' })).toBeVisible();
    await waitHydrated(page);
    await page.getByLabel('ログインID').fill(loginId);
    await page.getByLabel('パスワード').fill(GOOD_PASSWORD);
    await page.getByLabel('認証文字').fill('WRONG');
    await page.getByRole('button', { name: 'ログイン', exact: true }).click();
    await expect(page).toHaveURL(/\?captcha=wrong&next=\/home$/);
    await waitHydrated(page);
    await page.getByLabel('ログインID').fill(loginId);
    await page.getByLabel('パスワード').fill(GOOD_PASSWORD);
    await page.getByLabel('認証文字').fill(CAPTCHA_TEST_ANSWER);
    await page.getByRole('button', { name: 'ログイン', exact: true }).click();
    // ...and with it the member's right password logs in.
    await expect(page.getByRole('heading', { name: `${m.name}さん` })).toBeVisible();

    // The same without JavaScript: plain form posts.
    const nojs = await browser.newContext({ baseURL: office.portal.baseURL, javaScriptEnabled: false });
    const plain = await nojs.newPage();
    await login(plain, loginId, GOOD_PASSWORD, false);
    await expect(plain.getByRole('alert').filter({ hasText: '認証文字を入力してください' })).toBeVisible();
    await expect(plain.getByLabel('認証文字')).toHaveAttribute('required', '');
    await plain.getByLabel('ログインID').fill(loginId);
    await plain.getByLabel('パスワード').fill(GOOD_PASSWORD);
    await plain.getByLabel('認証文字').fill('WRONG');
    await plain.getByRole('button', { name: 'ログイン', exact: true }).click();
    await expect(plain.getByRole('alert').filter({ hasText: '認証文字が正しくありません' })).toBeVisible();
    await plain.getByLabel('ログインID').fill(loginId);
    await plain.getByLabel('パスワード').fill(GOOD_PASSWORD);
    await plain.getByLabel('認証文字').fill(CAPTCHA_TEST_ANSWER);
    await plain.getByRole('button', { name: 'ログイン', exact: true }).click();
    await expect(plain.getByRole('heading', { name: `${m.name}さん` })).toBeVisible();
    await nojs.close();

    // Step 1 from the same address: the page shows the 認証文字 from the start.
    await gotoReady(page, '/register');
    await expect(page.getByLabel('認証文字')).toBeVisible();
    await page.getByLabel('会社メールアドレス').fill(`colleague-${Date.now()}@corp.test`);
    await page.getByLabel('認証文字').fill(CAPTCHA_TEST_ANSWER);
    await page.getByRole('button', { name: '送信' }).click();
    await expect(page.getByText('入力されたメールアドレス宛にメールを送信しました。')).toBeVisible();
  } finally {
    await context.close();
    await office.stop();
  }
});
