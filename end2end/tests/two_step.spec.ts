// 2段階認証 for members: enrolment from プロフィール設定 (QR code, key as text, one code), backup
// codes shown once, the code after the password, a backup code instead, the forgot flow asking
// for a code, and turning it off.
import type { Page } from '@playwright/test';
import { test, expect, waitHydrated } from '../fixtures';
import { approveRequest, axe, enrolStaff, GOOD_PASSWORD, gotoReady, linkIn, login, loggedInMember, staffLogin, totp } from '../helpers';

const NEW_PASSWORD = 'Quiet9!River-Maple';

/** From プロフィール設定 to the backup codes; returns the secret and the codes. */
async function enrol(page: Page) {
  await gotoReady(page, '/profile');
  await expect(page.getByText('2段階認証：未設定')).toBeVisible();
  await page.getByRole('link', { name: '2段階認証の設定' }).click();
  await expect(page.getByRole('heading', { name: '2段階認証の設定', level: 1 })).toBeVisible();
  await waitHydrated(page);
  await expect(page.getByRole('img', { name: '認証アプリに登録するためのQRコード' })).toBeVisible();
  await axe(page);
  expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
  const secret = (await page.getByTestId('totp-secret').textContent())!.trim();
  await page.getByLabel('確認コード').fill('000000');
  await page.getByLabel('現在のパスワード').fill(GOOD_PASSWORD);
  await page.getByRole('button', { name: '設定する' }).click();
  await expect(page.locator('#code-error')).toContainText('確認コードが正しくありません');
  await page.getByLabel('確認コード').fill(totp(secret));
  await page.getByLabel('現在のパスワード').fill(GOOD_PASSWORD);
  await page.getByRole('button', { name: '設定する' }).click();
  await expect(page.getByRole('heading', { name: 'バックアップコード' })).toBeVisible();
  const codes = await page.getByTestId('backup-codes').locator('code').allTextContents();
  expect(codes).toHaveLength(10);
  await axe(page);
  // Shown once: a reload no longer has them.
  await page.reload();
  await expect(page.getByText('表示済みのため、もう表示できません')).toBeVisible();
  return { secret, codes };
}

test('a member sets up 2段階認証, then logs in with the next code or a backup code, and turns it off', async ({ page, portal, mailbox }) => {
  const m = await loggedInMember(page, portal, mailbox, 'totp');
  const { secret, codes } = await enrol(page);
  await mailbox.waitForMail(m.email, '2段階認証の設定変更のお知らせ');

  await gotoReady(page, '/home');
  await page.getByRole('button', { name: 'ログアウト' }).click();
  await login(page, m.loginId);
  await expect(page.getByRole('heading', { name: '確認コードの入力' })).toBeVisible();
  await waitHydrated(page);
  await axe(page);
  await page.getByLabel('確認コードまたはバックアップコード').fill('123456');
  await page.getByRole('button', { name: 'ログイン', exact: true }).click();
  await expect(page.locator('#code-error')).toContainText('確認コードが正しくありません');
  // The enrolment spent this 30-second step's code: the next step's is accepted.
  await page.getByLabel('確認コードまたはバックアップコード').fill(totp(secret, Date.now() / 1000 + 30));
  await page.getByRole('button', { name: 'ログイン', exact: true }).click();
  await expect(page.getByRole('heading', { name: `${m.name}さん` })).toBeVisible();

  await page.getByRole('button', { name: 'ログアウト' }).click();
  await login(page, m.loginId);
  await expect(page.getByRole('heading', { name: '確認コードの入力' })).toBeVisible();
  await waitHydrated(page);
  await page.getByLabel('確認コードまたはバックアップコード').fill(codes[0]);
  await page.getByRole('button', { name: 'ログイン', exact: true }).click();
  await expect(page.getByRole('heading', { name: `${m.name}さん` })).toBeVisible();

  // Off: the password and a code (a used backup code is refused).
  await gotoReady(page, '/security');
  await expect(page.getByText('未使用のバックアップコード：9個')).toBeVisible();
  await page.getByLabel('現在のパスワード').last().fill(GOOD_PASSWORD);
  await page.getByLabel('確認コードまたはバックアップコード').last().fill(codes[0]);
  await page.getByRole('button', { name: '解除する' }).click();
  await expect(page.locator('#code-error')).toContainText('確認コードが正しくありません');
  // A plain form post: the page comes back with the message, and a password is never refilled.
  await page.getByLabel('現在のパスワード').last().fill(GOOD_PASSWORD);
  await page.getByLabel('確認コードまたはバックアップコード').last().fill(codes[1]);
  await page.getByRole('button', { name: '解除する' }).click();
  await expect(page.getByText('2段階認証を解除しました。')).toBeVisible();
  await expect(page.getByText('2段階認証：未設定')).toBeVisible();
});

test('the forgot flow of an enrolled member asks for a code before the new password works', async ({ page, portal, mailbox }) => {
  const m = await loggedInMember(page, portal, mailbox, 'totpforgot');
  const { codes } = await enrol(page);
  await gotoReady(page, '/home');
  await page.getByRole('button', { name: 'ログアウト' }).click();
  await gotoReady(page, '/forgot');
  await page.getByLabel('登録のメールアドレス').fill(m.email);
  await page.getByRole('button', { name: '送信' }).click();
  await expect(page.getByText('入力されたメールアドレス宛にメールを送信しました。')).toBeVisible();
  const mail = await mailbox.waitForMail(m.email, 'ログインID・パスワード再設定のご案内');
  await gotoReady(page, linkIn(mail.text, '/forgot/reset/'));
  await expect(page.getByText('2段階認証を設定しているため')).toBeVisible();
  await axe(page);
  await page.getByLabel('新しいパスワード').fill(NEW_PASSWORD);
  await page.getByLabel('パスワード確認').fill(NEW_PASSWORD);
  await page.getByLabel('確認コードまたはバックアップコード').fill('999999');
  await page.getByRole('button', { name: '登録' }).click();
  await expect(page.locator('#code-error')).toContainText('確認コードが正しくありません');
  await page.getByLabel('確認コードまたはバックアップコード').fill(codes[3]);
  await page.getByRole('button', { name: '登録' }).click();
  await expect(page.getByText('パスワードを再設定しました。')).toBeVisible();
  await login(page, m.loginId, NEW_PASSWORD);
  await expect(page.getByRole('heading', { name: '確認コードの入力' })).toBeVisible();
});

test('a member who lost the phone and the backup codes is reset by two staff: a 担当者 asks, a 管理者 approves', async ({ page, browser, portal, mailbox, isMobile }) => {
  test.skip(isMobile, 'the staff console is for desktop browsers');
  // A member, two staff enrolments and logins, a request and its approval: 43 s on a quiet machine,
  // over the default 60 s on a busy one.
  test.setTimeout(120_000);
  const m = await loggedInMember(page, portal, mailbox, 'totplost');
  await enrol(page);
  const staffPage = await (await browser.newContext()).newPage();
  const { email, secret } = await enrolStaff(staffPage, portal, 'agent', '担当 三郎');
  await staffLogin(staffPage, email, secret);
  await staffPage.getByLabel('加入者検索').fill(`${m.kigo}-${m.bango}`);
  await staffPage.getByRole('button', { name: '検索' }).click();
  await staffPage.getByRole('link', { name: `${m.kigo}-${m.bango}` }).click();
  await expect(staffPage.getByTestId('account-state')).toContainText('2段階認証 設定済み');
  await staffPage.getByRole('link', { name: '2段階認証リセット' }).click();
  await expect(staffPage.getByRole('heading', { name: '2段階認証リセット' })).toBeVisible();
  await axe(staffPage);
  await staffPage.getByLabel('理由').fill('問い合わせにより電話で本人確認済み');
  await staffPage.getByRole('button', { name: '実行する' }).click();
  await expect(staffPage.getByText('依頼を受け付けました。')).toBeVisible();
  await expect(staffPage.getByTestId('account-state')).toContainText('2段階認証 設定済み');
  // Another 管理者 sees what is asked, by whom and why, and approves it.
  const adminPage = await (await browser.newContext()).newPage();
  const admin = await enrolStaff(adminPage, portal, 'admin', '管理 四郎');
  await staffLogin(adminPage, admin.email, admin.secret);
  await adminPage.getByRole('link', { name: '承認待ち' }).first().click();
  await expect(adminPage.getByRole('row').filter({ hasText: '問い合わせにより電話で本人確認済み' })).toContainText('担当 三郎');
  await approveRequest(adminPage, '問い合わせにより電話で本人確認済み', '問い合わせ記録と照合済み');
  await expect(adminPage.getByText('依頼を処理しました。')).toBeVisible();
  await staffPage.reload();
  await expect(staffPage.getByTestId('account-state')).not.toContainText('2段階認証');
  await expect(staffPage.getByRole('cell', { name: '2段階認証リセット（職員）' }).first()).toBeVisible();
  await expect(staffPage.getByRole('cell', { name: '依頼の承認（管理者）' }).first()).toBeVisible();
  const notice = await mailbox.waitForMail(m.email, '2段階認証の設定変更のお知らせ', undefined, 1);
  expect(notice.text).toContain('健康保険組合が解除しました');
  // Every session of the member ended; the password alone logs in again.
  await page.goto('/home');
  await expect(page).toHaveURL(/\/\?next=/);
  await login(page, m.loginId);
  await expect(page.getByRole('heading', { name: `${m.name}さん` })).toBeVisible();
});
