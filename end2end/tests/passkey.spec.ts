// パスキー in Chromium with the DevTools protocol's virtual authenticator (a platform
// authenticator with user verification, as a phone's screen lock): register one in
// セキュリティ設定, log out, log in with it alone, use it as the second step after the
// password, remove it; and without JavaScript the login page says so and the password works.
import type { Page } from '@playwright/test';
import { test, expect } from '../fixtures';
import { axe, enrolStaff, gotoReady, login, loggedInMember, staffLogin, GOOD_PASSWORD, STAFF_PASSWORD } from '../helpers';

// A relying party is a domain name, never an IP address: this file's portal is `localhost`.
test.use({ portalHost: 'localhost' });

async function virtualAuthenticator(page: Page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true,
      isUserVerified: true, automaticPresenceSimulation: true,
    },
  });
  const credentials = async () => (await cdp.send('WebAuthn.getCredentials', { authenticatorId })).credentials;
  return { credentials };
}

const PASSWORD_LABEL = 'ご本人確認：お使いのパスワード';
const CODE_LABEL = 'ご本人確認：認証アプリに表示される6桁の数字、またはバックアップコード';

test('a member registers a passkey, logs in with it alone and as the second step, and removes it', async ({ page, portal, mailbox }) => {
  const authenticator = await virtualAuthenticator(page);
  const m = await loggedInMember(page, portal, mailbox, 'passkey');
  await gotoReady(page, '/security');
  const add = page.locator('.passkey-add');
  await expect(page.getByText('パスキーは登録されていません。')).toBeVisible();
  await add.getByLabel('パスキーの名前').fill('私のスマートフォン');
  await add.getByLabel(PASSWORD_LABEL).fill(GOOD_PASSWORD);
  await add.getByRole('button', { name: 'パスキーを登録', exact: true }).click();
  const list = page.getByTestId('passkeys').getByRole('table');
  await expect(list.getByRole('cell', { name: '私のスマートフォン' })).toBeVisible();
  await expect(list.getByRole('cell', { name: '未使用' })).toBeVisible();
  const stored = await authenticator.credentials();
  expect(stored).toHaveLength(1);
  expect(stored[0].isResidentCredential, 'a discoverable credential').toBe(true);
  await mailbox.waitForMail(m.email, '2段階認証の設定変更のお知らせ');
  await axe(page);

  // 「パスキーでログイン」: no ID, no password.
  await page.getByRole('button', { name: 'ログアウト' }).click();
  await expect(page.getByRole('heading', { name: 'ログイン', exact: true })).toBeVisible();
  await page.getByRole('button', { name: 'パスキーでログイン' }).click();
  await expect(page.getByRole('heading', { name: `${m.name}さん` })).toBeVisible();

  // The password now asks a second step, which the passkey answers.
  await page.getByRole('button', { name: 'ログアウト' }).click();
  await login(page, m.loginId);
  await expect(page).toHaveURL(/\/login\/code$/);
  await axe(page);
  await page.getByRole('button', { name: 'パスキーで確認' }).click();
  await expect(page.getByRole('heading', { name: `${m.name}さん` })).toBeVisible();

  // Removing it: the password and the passkey itself (the member's other factor).
  await gotoReady(page, '/security');
  await expect(list.getByRole('cell', { name: '未使用' })).toHaveCount(0);
  const remove = page.locator('.passkey-remove');
  await remove.getByLabel(PASSWORD_LABEL).fill(GOOD_PASSWORD);
  await remove.getByRole('button', { name: '削除', exact: true }).click();
  await expect(page.getByText('パスキーは登録されていません。')).toBeVisible();

  // The phone still holds it, the portal no more.
  await page.getByRole('button', { name: 'ログアウト' }).click();
  await page.getByRole('button', { name: 'パスキーでログイン' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'パスキーを確認できませんでした。' })).toBeVisible();
  await login(page, m.loginId);
  await expect(page.getByRole('heading', { name: `${m.name}さん` })).toBeVisible();
});

test('without JavaScript the login page says passkeys need it, and the password still logs in', async ({ browser, portal, mailbox, page }) => {
  const m = await loggedInMember(page, portal, mailbox, 'nojs-passkey');
  const context = await browser.newContext({ javaScriptEnabled: false, baseURL: portal.baseURL });
  const nojs = await context.newPage();
  await nojs.goto('/');
  // (Chromium's emulated "no JavaScript" still parses <noscript> as scripted: read its text.)
  expect(await nojs.locator('.passkey-login noscript').textContent()).toContain('パスキーを使うには、JavaScriptを有効にしてください。');
  await expect(nojs.getByRole('button', { name: 'パスキーでログイン' })).toBeHidden();
  await nojs.getByLabel('ログインID').fill(m.loginId);
  await nojs.getByLabel('パスワード').fill(GOOD_PASSWORD);
  await nojs.getByRole('button', { name: 'ログイン', exact: true }).click();
  await expect(nojs.getByRole('heading', { name: `${m.name}さん` })).toBeVisible();
  await context.close();
});

test('a staff member adds a passkey and logs in with the password and the passkey', async ({ page, portal, isMobile }) => {
  test.skip(isMobile, 'the staff console is for desktop browsers');
  await virtualAuthenticator(page);
  const s = await enrolStaff(page, portal, 'agent', '職員 鍵子');
  await staffLogin(page, s.email, s.secret);
  await page.getByRole('link', { name: 'パスキーの管理' }).click();
  await expect(page.getByRole('heading', { name: '職員のパスキー', level: 1 })).toBeVisible();
  const add = page.locator('.passkey-add');
  await add.getByLabel('パスキーの名前').fill('窓口のPC');
  await add.getByLabel(PASSWORD_LABEL).fill(STAFF_PASSWORD);
  await add.getByLabel(CODE_LABEL).fill(s.backupCodes[0]);
  await add.getByRole('button', { name: 'パスキーを登録', exact: true }).click();
  await expect(page.getByTestId('passkeys').getByRole('cell', { name: '窓口のPC' })).toBeVisible();
  await axe(page);

  await page.getByRole('button', { name: 'ログアウト' }).click();
  await expect(page.getByRole('heading', { name: '職員ログイン' })).toBeVisible();
  await page.getByLabel('ログインID（メールアドレス）').fill(s.email);
  await page.getByLabel('パスワード').fill(STAFF_PASSWORD);
  await page.getByRole('button', { name: 'パスキーで認証' }).click();
  await expect(page.getByRole('heading', { name: '職員ホーム' })).toBeVisible();
});
