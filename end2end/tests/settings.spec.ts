import { test, expect, startPortal, waitHydrated } from '../fixtures';
import { axe, gotoReady, linkIn, login, loggedInMember, newMember, registerMember, GOOD_PASSWORD } from '../helpers';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const NEW_PASSWORD = 'Quiet9!River-Maple';

test('プロフィール設定: login ID, nickname and mail preferences change at once', async ({ page, portal, mailbox }) => {
  const m = await loggedInMember(page, portal, mailbox, 'profile');
  await page.getByRole('link', { name: 'プロフィール設定' }).click();
  await expect(page.getByRole('heading', { name: 'プロフィール設定' })).toBeVisible();
  // The checks while typing come with hydration (a fill before it was missed once under load).
  await waitHydrated(page);
  await expect(page.getByLabel('ログインID')).toHaveValue(m.loginId);
  await expect(page.getByLabel('メールアドレス1')).toHaveValue(m.email);
  for (const label of ['医療費通知', 'メールマガジン', '通知書・証明書', '健康情報誌', '申請書']) {
    await expect(page.getByLabel(label)).toBeChecked();
  }
  await expect(page.getByText('配信メール設定は、デフォルトのまま、チェックは外さないでください。')).toBeVisible();

  // Mistakes are named next to their field while typing.
  await page.getByLabel('ログインID').fill('short');
  await expect(page.locator('#login_id-error')).toContainText('8文字以上');
  await page.getByLabel('メールアドレス3').fill(m.email.toUpperCase());
  await expect(page.locator('#email3-error')).toContainText('メールアドレス1と同じ');
  await page.getByLabel('メールアドレス3').fill('');

  const newId = `${m.loginId}.new`;
  await page.getByLabel('ログインID').fill(newId);
  await page.getByLabel('ニックネーム').fill('たろちゃん');
  await page.getByLabel('メールマガジン').uncheck();
  // A new login ID needs the current password (whoever sits at an open session must not
  // take the account over).
  await page.getByRole('button', { name: '登録' }).click();
  await expect(page.locator('#current_password-error')).toHaveText('ログインIDまたはメールアドレスを変更・追加するには、現在のパスワードを入力してください。');
  await page.getByLabel('現在のパスワード').fill('Wrong#Pass12');
  await page.getByRole('button', { name: '登録' }).click();
  await expect(page.locator('#current_password-error')).toHaveText('現在のパスワードが正しくありません。');
  await page.getByLabel('現在のパスワード').fill(GOOD_PASSWORD);
  await page.getByRole('button', { name: '登録' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'プロフィールを登録しました。' })).toBeVisible();

  await page.reload();
  await expect(page.getByLabel('ログインID')).toHaveValue(newId);
  await expect(page.getByLabel('ニックネーム')).toHaveValue('たろちゃん');
  await expect(page.getByLabel('メールマガジン')).not.toBeChecked();
  await expect(page.getByLabel('医療費通知')).toBeChecked();

  await page.getByRole('button', { name: 'ログアウト' }).click();
  await login(page, newId);
  await expect(page.getByRole('heading', { name: `${m.name}さん` })).toBeVisible();
});

test('a new address works only after its confirmation link, and the old address 1 is told', async ({ page, portal, mailbox }) => {
  const m = await loggedInMember(page, portal, mailbox, 'addr');
  await gotoReady(page, '/profile');
  const home = `home-${Date.now()}@example.test`;
  await page.getByLabel('メールアドレス1').fill(home);
  await page.getByLabel('現在のパスワード').fill(GOOD_PASSWORD);
  await page.getByRole('button', { name: '登録' }).click();
  await expect(page.getByRole('status').filter({ hasText: '確認メールを送信しました' })).toBeVisible();
  const pending = page.locator('.pending-list li');
  await expect(pending).toContainText(home);
  await expect(page.getByLabel('メールアドレス1')).toHaveValue(m.email);

  const mail = await mailbox.waitForMail(home, 'メールアドレス確認のお願い');
  const link = linkIn(mail.text, '/profile/email/');
  // The link works in any browser, logged in or not.
  const other = await page.context().browser()!.newContext();
  const phone = await other.newPage();
  await phone.goto(link);
  await expect(phone.getByText(home)).toBeVisible();
  await phone.getByRole('button', { name: '確認', exact: true }).click();
  await expect(phone.getByText('メールアドレスの変更が完了しました。')).toBeVisible();
  await phone.goto(link);
  await expect(phone.getByText('このURLは有効期限が切れているか、既に使用されています。')).toBeVisible();
  await other.close();

  const notice = await mailbox.waitForMail(m.email, 'メールアドレス変更のお知らせ');
  expect(notice.text).toContain('メールアドレス1');
  await page.reload();
  await expect(page.getByLabel('メールアドレス1')).toHaveValue(home);
  await expect(pending).toHaveCount(0);
});

test('a pending address can be resent and cancelled', async ({ page, portal, mailbox }) => {
  await loggedInMember(page, portal, mailbox, 'resend');
  await gotoReady(page, '/profile');
  const extra = `extra-${Date.now()}@example.test`;
  await page.getByLabel('メールアドレス2').fill(extra);
  await page.getByLabel('現在のパスワード').fill(GOOD_PASSWORD);
  await page.getByRole('button', { name: '登録' }).click();
  const first = await mailbox.waitForMail(extra, 'メールアドレス確認のお願い');
  await page.getByRole('button', { name: '確認メールを再送' }).click();
  await expect(page.getByRole('status').filter({ hasText: '確認メールを再送しました。' })).toBeVisible();
  await expect.poll(() => mailbox.find(extra, 'メールアドレス確認のお願い').length).toBe(2);
  await page.getByRole('button', { name: '変更を取り消す' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'メールアドレスの変更を取り消しました。' })).toBeVisible();
  await expect(page.locator('.pending-list')).toHaveCount(0);
  await page.goto(linkIn(first.text, '/profile/email/'));
  await expect(page.getByText('このURLは有効期限が切れているか、既に使用されています。')).toBeVisible();
});

test('パスワード変更 ends the other sessions; the new password works, the toggle shows all three', async ({ page, portal, mailbox, browser }) => {
  const m = await loggedInMember(page, portal, mailbox, 'pwchange');
  const second = await browser.newContext();
  const other = await second.newPage();
  await login(other, m.loginId);
  await expect(other.getByRole('heading', { name: `${m.name}さん` })).toBeVisible();

  await page.getByRole('link', { name: 'パスワード変更' }).click();
  await expect(page.getByRole('heading', { name: 'パスワード変更' })).toBeVisible();
  // The toggle is the island's: ticked before hydration, hydration would untick it.
  await waitHydrated(page);
  const fields = ['変更前パスワード', '変更後パスワード', 'パスワード確認'].map((l) => page.getByLabel(l, { exact: true }));
  for (const f of fields) await expect(f).toHaveAttribute('type', 'password');
  await page.getByLabel('パスワードを表示する').check();
  for (const f of fields) await expect(f).toHaveAttribute('type', 'text');
  await page.getByLabel('パスワードを表示する').uncheck();
  for (const f of fields) await expect(f).toHaveAttribute('type', 'password');

  await fields[1].fill('weak');
  await expect(page.locator('#new_password-error')).toContainText('10文字以上');
  await fields[0].fill('Wrong#Pass12');
  await fields[1].fill(NEW_PASSWORD);
  await fields[2].fill(NEW_PASSWORD);
  await page.getByRole('button', { name: '登録' }).click();
  await expect(page.locator('#current_password-error')).toHaveText('変更前パスワードが正しくありません。');

  await fields[0].fill(GOOD_PASSWORD);
  await page.getByRole('button', { name: '登録' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'パスワードを変更しました。' })).toBeVisible();
  await mailbox.waitForMail(m.email, 'パスワード変更のお知らせ');

  // The other browser's session is gone: it is asked to log in again, and the new password works there.
  await other.goto('/home');
  await expect(other).toHaveURL(/\/\?next=\/home&ended=1$/);
  await expect(other.getByText('ログインし直してください')).toBeVisible();
  await login(other, m.loginId, GOOD_PASSWORD);
  await expect(other.getByRole('alert').filter({ hasText: 'ログインIDまたはパスワードが正しくありません。' })).toBeVisible();
  await login(other, m.loginId, NEW_PASSWORD);
  await expect(other.getByRole('heading', { name: `${m.name}さん` })).toBeVisible();
  await second.close();

  // This browser stayed logged in.
  await gotoReady(page, '/home');
  await expect(page.getByRole('heading', { name: `${m.name}さん` })).toBeVisible();
});

test('a paper-notified member must change the temporary password, then set the profile', async ({ page, portal }) => {
  const m = await newMember(portal, 'paper', { withEmail: false });
  const out = path.join(mkdtempSync(path.join(tmpdir(), 'temp-')), 'letters.csv');
  const issued = await portal.cli('issue-temp-credentials', '--member', `${m.kigo}-${m.bango}`, '--out', out);
  expect(issued.code, issued.stderr).toBe(0);
  const [, row] = readFileSync(out, 'utf8').replace(/^\uFEFF/, '').trim().split('\n');
  const [, , name, loginId, temporary] = row.split(',');
  expect(name).toBe(m.name);

  await login(page, loginId, temporary);
  await expect(page).toHaveURL(/\/password$/);
  await expect(page.getByText('仮パスワードでログインしました。')).toBeVisible();
  await gotoReady(page, '/home');
  await expect(page).toHaveURL(/\/password$/);
  await page.getByLabel('変更前パスワード').fill(temporary);
  await page.getByLabel('変更後パスワード').fill(NEW_PASSWORD);
  await page.getByLabel('パスワード確認').fill(NEW_PASSWORD);
  await page.getByRole('button', { name: '登録' }).click();

  // A paper letter asked no agreement: 利用規約 and 個人情報の取扱い come next, before anything else.
  await expect(page).toHaveURL(/\/consent$/);
  await expect(page.getByText('健康マイポータルをご利用いただくには、利用規約と個人情報の取扱いへの同意が必要です。')).toBeVisible();
  await expect(page.getByRole('region', { name: '利用規約' })).toContainText('第1条（目的）');
  await axe(page);
  await gotoReady(page, '/home');
  await expect(page).toHaveURL(/\/consent$/);
  await page.getByLabel('利用規約と個人情報の取扱いに同意します').check();
  await page.getByRole('button', { name: '同意して続ける' }).click();

  await expect(page).toHaveURL(/\/profile$/);
  await expect(page.getByText('初めてのログインです。')).toBeVisible();
  await gotoReady(page, '/home');
  await expect(page).toHaveURL(/\/profile$/);
  await waitForForm(page);
  // The browser asks for address 1 (required); past that, the server does too.
  await expect(page.getByLabel('メールアドレス1')).toHaveAttribute('required', '');
  await page.locator('form').first().evaluate((f: HTMLFormElement) => { f.noValidate = true; });
  await page.getByRole('button', { name: '登録' }).click();
  await expect(page.locator('#email1-error')).toContainText('メールアドレス1を入力してください。');
  await page.getByLabel('メールアドレス1').fill(`paper-${Date.now()}@example.test`);
  await page.getByLabel('現在のパスワード').fill(NEW_PASSWORD);
  await page.getByRole('button', { name: '登録' }).click();
  await expect(page.getByRole('heading', { name: `${m.name}さん` })).toBeVisible();
});

async function waitForForm(page: import('@playwright/test').Page) {
  await expect(page.getByLabel('メールアドレス1')).toBeVisible();
  await page.locator('html[data-hydrated="true"]').waitFor({ state: 'attached' });
}

test('ログイン中の端末 lists the member\'s devices; another device is logged out from here', async ({ page, portal, mailbox, browser }) => {
  const m = await loggedInMember(page, portal, mailbox, 'devices');
  const phoneContext = await browser.newContext({
    userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
  });
  const phone = await phoneContext.newPage();
  await login(phone, m.loginId);
  await expect(phone.getByRole('heading', { name: `${m.name}さん` })).toBeVisible();

  await gotoReady(page, '/profile');
  const devices = page.locator('.session-list li');
  await expect(page.getByRole('heading', { name: 'ログイン中の端末' })).toBeVisible();
  await expect(devices).toHaveCount(2);
  await expect(devices.first()).toContainText('この端末');
  const iphone = devices.filter({ hasText: 'iPhone・Safari' });
  await expect(iphone).toHaveCount(1);
  await iphone.getByRole('button', { name: 'ログアウトさせる' }).click();
  await expect(page.getByRole('status').filter({ hasText: '選択した端末をログアウトさせました。' })).toBeVisible();
  await expect(devices).toHaveCount(1);
  await expect(page.getByRole('button', { name: '他の端末をすべてログアウト' })).toHaveCount(0);

  await phone.goto('/home');
  await expect(phone).toHaveURL(/\/\?next=\/home&ended=1$/);
  await phoneContext.close();
});

test('a session left idle ends: the member is asked to log in again and comes back', async ({ browser, mailbox }, testInfo) => {
  test.skip(testInfo.project.name === 'production', 'a SQLite portal of its own, not the topology: the desktop project runs it');
  test.setTimeout(150_000);
  // A portal of its own whose sessions end after one idle minute.
  const short = await startPortal(mailbox, { SESSION_IDLE_MINUTES: '1' });
  const context = await browser.newContext({ baseURL: short.portal.baseURL });
  try {
    const page = await context.newPage();
    const m = await newMember(short.portal, 'idle');
    const loginId = await registerMember(page, mailbox, m);
    await login(page, loginId);
    await expect(page.getByRole('heading', { name: `${m.name}さん` })).toBeVisible();
    await page.waitForTimeout(62_000);
    await page.getByRole('link', { name: 'プロフィール設定' }).click();
    await expect(page).toHaveURL(/\/\?next=\/profile&ended=1$/);
    await expect(page.getByText('ログインし直してください')).toBeVisible();
    await waitHydrated(page);
    await page.getByLabel('ログインID').fill(loginId);
    await page.getByLabel('パスワード').fill(GOOD_PASSWORD);
    await page.getByRole('button', { name: 'ログイン', exact: true }).click();
    await expect(page).toHaveURL(/\/profile$/);
    await expect(page.getByLabel('ログインID')).toHaveValue(loginId);
  } finally {
    await context.close();
    await short.stop();
  }
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('the profile saves and says so with plain form posts', async ({ page, portal, mailbox, browser }) => {
    const js = await browser.newContext({ javaScriptEnabled: true });
    const m = await loggedInMember(await js.newPage(), portal, mailbox, 'nojsprofile');
    await js.close();
    await login(page, m.loginId, GOOD_PASSWORD, false);
    await page.goto('/profile');
    await page.getByLabel('ニックネーム').fill('のーじぇいえす');
    await page.getByRole('button', { name: '登録' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'プロフィールを登録しました。' })).toBeVisible();
    await expect(page.getByLabel('ニックネーム')).toHaveValue('のーじぇいえす');
    await page.goto('/password');
    await page.getByLabel('変更前パスワード').fill('Wrong#Pass12');
    await page.getByLabel('変更後パスワード').fill(NEW_PASSWORD);
    await page.getByLabel('パスワード確認').fill(NEW_PASSWORD);
    await page.getByRole('button', { name: '登録' }).click();
    await expect(page.locator('#current_password-error')).toHaveText('変更前パスワードが正しくありません。');
  });
});

test('退会 from プロフィール設定: the password first, then the account is gone, a notice arrives, and the member can register again', async ({ page, portal, mailbox }) => {
  const m = await loggedInMember(page, portal, mailbox, 'taikai');
  await gotoReady(page, '/profile');
  await page.getByRole('link', { name: '退会（アカウントの削除）' }).click();
  await expect(page.getByRole('heading', { name: '退会', level: 1 })).toBeVisible();
  await waitHydrated(page);
  await axe(page);
  await page.getByLabel('現在のパスワード').fill('Wrong#Pass12');
  await page.getByRole('button', { name: '退会する' }).click();
  await expect(page.locator('#current_password-error')).toContainText('現在のパスワードが正しくありません。');
  await page.getByLabel('現在のパスワード').fill(GOOD_PASSWORD);
  await page.getByRole('button', { name: '退会する' }).click();
  await expect(page.getByRole('heading', { name: '退会手続きが完了しました' })).toBeVisible();
  await axe(page);
  const notice = await mailbox.waitForMail(m.email, '退会手続き完了のお知らせ');
  expect(notice.text).toContain('/register');
  // Logged out, and the login ID is gone.
  await gotoReady(page, '/home');
  await expect(page).toHaveURL(/\/\?next=\/home/);
  await login(page, m.loginId);
  await expect(page.getByText('ログインIDまたはパスワードが正しくありません。')).toBeVisible();
  // The roster row stayed: the same member registers again with the same address.
  const loginId = await registerMember(page, mailbox, m);
  await login(page, loginId);
  await expect(page.getByRole('heading', { name: `${m.name}さん` })).toBeVisible();
});
