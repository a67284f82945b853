import { test, expect, CAPTCHA_TEST_ANSWER, INQUIRY_INBOX } from '../fixtures';
import { fillInquiry, gotoReady, linkIn, login, loggedInMember, GOOD_PASSWORD } from '../helpers';

const NEW_PASSWORD = 'Quiet9!River-Maple';

test('forgot → mail with the login ID → new password → login; the link works once', async ({ page, portal, mailbox, browser }) => {
  const m = await loggedInMember(page, portal, mailbox, 'forgot');
  await page.getByRole('button', { name: 'ログアウト' }).click();
  await page.getByRole('link', { name: 'ログインID・パスワード忘れた方はこちら' }).click();
  await expect(page.getByRole('heading', { name: 'ログインID・パスワード忘れた方' })).toBeVisible();
  await page.getByLabel('登録のメールアドレス').fill(m.email.toUpperCase());
  await page.getByRole('button', { name: '送信' }).click();
  await expect(page.getByText('入力されたメールアドレス宛にメールを送信しました。')).toBeVisible();

  const mail = await mailbox.waitForMail(m.email.toUpperCase(), 'ログインID・パスワード再設定のご案内');
  expect(mail.text).toContain(`ログインID： ${m.loginId}`);
  const link = linkIn(mail.text, '/forgot/reset/');
  await gotoReady(page, link);
  await expect(page.getByText(m.loginId)).toBeVisible();
  await page.getByLabel('新しいパスワード').fill('short');
  await expect(page.locator('#new_password-error')).toContainText('10文字以上');
  await page.getByLabel('新しいパスワード').fill(NEW_PASSWORD);
  await page.getByLabel('パスワード確認').fill('Quiet9!River-Mapl');
  await expect(page.locator('#confirm_password-error')).toContainText('一致しません');
  await page.getByLabel('パスワード確認').fill(NEW_PASSWORD);
  await page.getByLabel('パスワードを表示する').check();
  await expect(page.getByLabel('新しいパスワード')).toHaveAttribute('type', 'text');
  await page.getByRole('button', { name: '登録' }).click();
  await expect(page.getByText('パスワードを再設定しました。')).toBeVisible();
  await mailbox.waitForMail(m.email, 'パスワード変更のお知らせ');

  await login(page, m.loginId, GOOD_PASSWORD);
  await expect(page.getByRole('alert').filter({ hasText: 'ログインIDまたはパスワードが正しくありません。' })).toBeVisible();
  await login(page, m.loginId, NEW_PASSWORD);
  await expect(page.getByRole('heading', { name: `${m.name}さん` })).toBeVisible();

  // Used: the link now says so, in any browser.
  const other = await browser.newContext();
  const again = await other.newPage();
  await again.goto(link);
  await expect(again.getByText('このURLは有効期限（30分）が切れているか、既に使用されています。')).toBeVisible();
  await expect(again.getByRole('link', { name: 'ログイン・パスワード問い合わせ専用フォーム' })).toBeVisible();
  await other.close();
});

test('an unknown address gets the same page and a mail pointing to the inquiry form', async ({ page, mailbox }) => {
  const stranger = `stranger-${Date.now()}@example.test`;
  await gotoReady(page, '/forgot');
  await page.getByLabel('登録のメールアドレス').fill('not an address');
  await expect(page.locator('#email-error')).toContainText('メールアドレスの形式');
  await page.getByLabel('登録のメールアドレス').fill(stranger);
  await page.getByRole('button', { name: '送信' }).click();
  await expect(page.getByText('入力されたメールアドレス宛にメールを送信しました。')).toBeVisible();
  const mail = await mailbox.waitForMail(stranger, 'ログインID・パスワード再設定のお申し込みについて');
  expect(linkIn(mail.text, '/inquiry')).toMatch(/\/inquiry$/);
});

test('a reset link that was never issued is refused', async ({ page }) => {
  await page.goto(`/forgot/reset/${'0'.repeat(64)}`);
  await expect(page.getByText('このURLは有効期限（30分）が切れているか、既に使用されています。')).toBeVisible();
});

test('the inquiry form checks every field, then stores, mails both sides and lists it for staff', async ({ page, portal, mailbox }) => {
  await gotoReady(page, '/');
  await page.getByRole('link', { name: 'ログイン・パスワード問い合わせ専用フォーム' }).click();
  await expect(page.getByRole('heading', { name: 'ログイン・パスワード問い合わせ専用フォーム' })).toBeVisible();
  await page.locator('html[data-hydrated="true"]').waitFor({ state: 'attached' });

  // Everything wrong at once: each field names its own mistake.
  await page.getByLabel('電話番号').fill('12345');
  await page.getByLabel('認証文字').fill('nope');
  await page.locator('form').evaluate((f: HTMLFormElement) => { f.noValidate = true; });
  await page.getByRole('button', { name: '送信' }).click();
  for (const [id, text] of [
    ['kind', '種別を選択してください。'], ['name', '氏名を入力してください。'], ['kigo', '記号'], ['bango', '番号'],
    ['birth_date', '生年月日を選択してください。'], ['email', 'メールアドレスを入力してください。'], ['phone', '電話番号は0から始まる'],
    ['body', '内容を入力してください。'], ['captcha', '認証文字が正しくありません。'],
  ]) {
    await expect(page.locator(`#${id}-error`), id).toContainText(text);
  }

  const contact = `ichiro-${Date.now()}@home.test`;
  await fillInquiry(page, contact, '紙の通知をなくしました。再発行をお願いします。', '３４');
  await page.getByLabel('認証文字').fill(CAPTCHA_TEST_ANSWER);
  await page.getByRole('button', { name: '送信' }).click();
  await expect(page.getByText('お問い合わせを受け付けました。')).toBeVisible();
  const reference = (await page.getByTestId('reference').textContent())!.trim();
  expect(reference).toMatch(/^Q-\d{8}-[0-9A-Z]{4}$/);

  const ack = await mailbox.waitForMail(contact, 'お問い合わせを受け付けました');
  expect(ack.text).toContain(reference);
  const staff = await mailbox.waitForMail(INQUIRY_INBOX, new RegExp(reference));
  expect(staff.text).toContain('紙の通知をなくしました。');
  expect(staff.text).toContain('34-20');

  const listed = await portal.cli('inquiries');
  expect(listed.code, listed.stderr).toBe(0);
  expect(listed.stdout).toContain(reference);
  expect(listed.stdout).toContain('鈴木 一郎');
  const closed = await portal.cli('inquiries', '--close', reference);
  expect(closed.code, closed.stderr).toBe(0);
  expect((await portal.cli('inquiries')).stdout).not.toContain(reference);
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('forgot and the inquiry form work with plain form posts', async ({ page, mailbox }) => {
    const stranger = `nojs-${Date.now()}@example.test`;
    await page.goto('/forgot');
    await page.getByLabel('登録のメールアドレス').fill(stranger);
    await page.getByRole('button', { name: '送信' }).click();
    await expect(page.getByText('入力されたメールアドレス宛にメールを送信しました。')).toBeVisible();
    await mailbox.waitForMail(stranger, 'ログインID・パスワード再設定のお申し込みについて');

    await page.goto('/inquiry');
    await page.getByLabel('種別').selectOption({ label: 'その他' });
    await page.getByLabel('氏名').fill('健保 花子');
    await page.getByLabel('記号').fill('12');
    await page.getByLabel('番号', { exact: true }).fill('345');
    await page.getByLabel('年', { exact: true }).selectOption('1985');
    await page.getByLabel('月', { exact: true }).selectOption('4');
    await page.getByLabel('日', { exact: true }).selectOption('1');
    await page.getByLabel('連絡先メールアドレス').fill(stranger);
    await page.getByLabel('内容').fill('ログインできません。');
    await page.getByLabel('認証文字').fill(CAPTCHA_TEST_ANSWER);
    await page.getByRole('button', { name: '送信' }).click();
    await expect(page.getByText('お問い合わせを受け付けました。')).toBeVisible();
    await expect(page.getByTestId('reference')).toHaveText(/^Q-\d{8}-[0-9A-Z]{4}$/);
  });
});
