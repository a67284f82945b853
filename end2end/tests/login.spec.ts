import { test, expect } from '../fixtures';
import { newMember, gotoReady, registerMember, fillInquiry, GOOD_PASSWORD } from '../helpers';
import { CAPTCHA_TEST_ANSWER } from '../fixtures';

test('a member logs in after registering, sees their name on ホーム and logs out', async ({ page, portal, mailbox }) => {
  const m = await newMember(portal, 'login');
  const loginId = await registerMember(page, mailbox, m);
  await page.getByRole('link', { name: 'ログイン' }).last().click();
  await expect(page.getByRole('heading', { name: 'ログイン' })).toBeVisible();
  await expect(page.locator('.qr img')).toHaveAttribute('src', /^data:image\/svg\+xml;base64,/);
  for (const link of ['新規利用登録', 'ログインID・パスワード忘れた方はこちら', 'ログイン・パスワード問い合わせ専用フォーム']) {
    await expect(page.getByRole('link', { name: link, exact: true })).toBeVisible();
  }
  await page.getByLabel('ログインID').fill(loginId.toUpperCase());
  await page.getByLabel('パスワード').fill(GOOD_PASSWORD);
  await page.getByRole('button', { name: 'ログイン', exact: true }).click();
  await expect(page.getByRole('heading', { name: `${m.name}さん` })).toBeVisible();
  await expect(page.getByText('現在、お知らせはありません。')).toBeVisible();
  // Behind https (the production project) the cookie takes the __Host- prefix.
  const session = (c: { name: string }) => c.name === 'portal_session' || c.name === '__Host-portal_session';
  const cookie = (await page.context().cookies()).find(session)!;
  expect(cookie.httpOnly).toBe(true);
  expect(cookie.sameSite).toBe('Lax');
  await page.getByRole('button', { name: 'ログアウト' }).click();
  await expect(page.getByRole('heading', { name: 'ログイン' })).toBeVisible();
  expect((await page.context().cookies()).find(session)).toBeUndefined();
  await page.goto('/home');
  await expect(page).toHaveURL(/\/\?next=\/home$/);
});

test('a wrong password gets the one message for both mistakes', async ({ page, portal, mailbox }) => {
  const m = await newMember(portal, 'wrongpw');
  const loginId = await registerMember(page, mailbox, m);
  for (const [id, pw] of [[loginId, 'Wrong#Pass12'], ['nobody.at.all', GOOD_PASSWORD]]) {
    await gotoReady(page, '/');
    await page.getByLabel('ログインID').fill(id);
    await page.getByLabel('パスワード').fill(pw);
    await page.getByRole('button', { name: 'ログイン', exact: true }).click();
    await expect(page.getByRole('alert').filter({ hasText: 'ログインIDまたはパスワードが正しくありません。' })).toBeVisible();
  }
});

test('a protected page sends the member to login and back after it', async ({ page, portal, mailbox }) => {
  const m = await newMember(portal, 'next');
  const loginId = await registerMember(page, mailbox, m);
  await page.context().clearCookies();
  await page.goto('/home');
  await expect(page).toHaveURL(/\/\?next=\/home$/);
  await gotoReady(page, page.url());
  await page.getByLabel('ログインID').fill(loginId);
  await page.getByLabel('パスワード').fill(GOOD_PASSWORD);
  await page.getByRole('button', { name: 'ログイン', exact: true }).click();
  await expect(page).toHaveURL(/\/home$/);
  await expect(page.getByRole('heading', { name: `${m.name}さん` })).toBeVisible();
});

test('repeated failures lock the ID with a notice mail, and an unknown ID looks the same', async ({ page, portal, mailbox }) => {
  const m = await newMember(portal, 'lock');
  const loginId = await registerMember(page, mailbox, m);
  const locked = page.getByRole('alert').filter({ hasText: '一時的にロックされています' });
  for (const id of [loginId, `ghost.${Date.now()}`]) {
    await gotoReady(page, '/');
    for (let i = 1; i <= 4; i++) {
      await page.getByLabel('ログインID').fill(id);
      await page.getByLabel('パスワード').fill('Wrong#Pass12');
      await page.getByRole('button', { name: 'ログイン', exact: true }).click();
      if (i < 4) await expect(page.getByRole('alert').filter({ hasText: 'ログインIDまたはパスワードが正しくありません。' })).toBeVisible();
    }
    await expect(locked).toBeVisible();
    // Even the right password is refused while locked.
    await page.getByLabel('パスワード').fill(GOOD_PASSWORD);
    await page.getByRole('button', { name: 'ログイン', exact: true }).click();
    await expect(locked).toBeVisible();
  }
  const notice = await mailbox.waitForMail(m.email, 'ログインの一時ロックのお知らせ');
  expect(notice.text).toContain('/forgot');
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('login and logout work with plain form posts', async ({ page, portal, mailbox, browser }) => {
    const m = await newMember(portal, 'nojslogin');
    const ctx = await browser.newContext({ javaScriptEnabled: true });
    const loginId = await registerMember(await ctx.newPage(), mailbox, m);
    await ctx.close();
    await page.goto('/');
    await page.getByLabel('ログインID').fill(loginId);
    await page.getByLabel('パスワード').fill('Wrong#Pass12');
    await page.getByRole('button', { name: 'ログイン', exact: true }).click();
    await expect(page.getByText('ログインIDまたはパスワードが正しくありません。')).toBeVisible();
    await page.getByLabel('ログインID').fill(loginId);
    await page.getByLabel('パスワード').fill(GOOD_PASSWORD);
    await page.getByRole('button', { name: 'ログイン', exact: true }).click();
    await expect(page.getByRole('heading', { name: `${m.name}さん` })).toBeVisible();
    await page.getByRole('button', { name: 'ログアウト' }).click();
    await expect(page.getByRole('heading', { name: 'ログイン' })).toBeVisible();
  });
});

/** What a phone's Japanese keyboard types for ASCII: full-width letters, digits and symbols. */
function wide(s: string): string {
  return [...s].map((c) => (c >= '!' && c <= '~' ? String.fromCharCode(c.charCodeAt(0) + 0xfee0) : c)).join('');
}

test('a login ID and addresses typed in full width still work: login, forgot and inquiry', async ({ page, portal, mailbox }) => {
  const m = await newMember(portal, 'wide');
  const loginId = await registerMember(page, mailbox, m);
  await page.context().clearCookies();
  await gotoReady(page, '/');
  await page.getByLabel('ログインID').fill(`　${wide(loginId.toUpperCase())} `);
  await page.getByLabel('パスワード').fill(GOOD_PASSWORD);
  await page.getByRole('button', { name: 'ログイン', exact: true }).click();
  await expect(page.getByRole('heading', { name: `${m.name}さん` })).toBeVisible();
  await page.getByRole('button', { name: 'ログアウト' }).click();

  await gotoReady(page, '/forgot');
  await page.getByLabel('登録のメールアドレス').fill(wide(m.email));
  await page.getByRole('button', { name: '送信' }).click();
  await expect(page.getByText('入力されたメールアドレス宛にメールを送信しました。')).toBeVisible();
  const mail = await mailbox.waitForMail(m.email, 'ログインID・パスワード再設定のご案内');
  expect(mail.text).toContain(`ログインID： ${loginId}`);

  await gotoReady(page, '/inquiry');
  const contact = `wide-${Date.now()}@home.test`;
  await fillInquiry(page, wide(contact), '全角で入力しました。', '３４');
  await page.getByLabel('認証文字').fill(CAPTCHA_TEST_ANSWER);
  await page.getByRole('button', { name: '送信' }).click();
  await expect(page.getByText('お問い合わせを受け付けました。')).toBeVisible();
  await mailbox.waitForMail(contact, 'お問い合わせを受け付けました');
});
