import { test, expect, waitHydrated } from '../fixtures';
import { newMember, linkIn, gotoReady, startRegistration, fillIdentity, passIdentity, registerMember, GOOD_PASSWORD, fillAccount } from '../helpers';

const toWide = (s: string) => s.replace(/[0-9]/g, (d) => String.fromCharCode(d.charCodeAt(0) + 0xfee0));

test('a member registers from the mail to the completion screen, entering the key in a second browser', async ({ page, browser, portal, mailbox }) => {
  const m = await newMember(portal, 'happy');
  await startRegistration(page, m.email);
  const m1 = await mailbox.waitForMail(m.email, '利用登録手続きのご案内');
  await gotoReady(page, linkIn(m1.text, '/register/verify/'));
  // The year list shows 西暦 with 和暦.
  await expect(page.getByLabel('年', { exact: true }).locator('option', { hasText: '1985（昭和60）' })).toHaveCount(1);
  // Full-width digits and spaces, as a Japanese IME types them, are accepted.
  await fillIdentity(page, m, { kigo: `　${toWide(m.kigo)}`, bango: `${toWide('0' + m.bango)} ` });
  await expect(page.getByText('控えておいてください')).toBeVisible();
  const key = (await page.getByTestId('identity-key').textContent())!.trim();
  const m2 = await mailbox.waitForMail(m.email, '本人確認完了のご案内');

  // Step 4 on another device (a fresh context has none of this browser's cookies).
  const phone = await browser.newContext();
  const other = await phone.newPage();
  await gotoReady(other, linkIn(m2.text, '/register/confirm/'));
  await other.getByLabel('認証キー').fill(key);
  await other.getByRole('button', { name: '認証' }).click();
  await expect(other.getByRole('heading', { name: 'ログインID・パスワードの設定' })).toBeVisible();
  await expect(other.getByLabel('メールアドレス', { exact: true })).toHaveValue(m.email);
  await expect(other.getByLabel('ニックネーム')).toHaveValue(m.name);
  const loginId = `member.${Date.now()}`;
  // 利用規約 and 個人情報の取扱い: links to both (a new tab), and the box is required by the server too.
  const form = other.locator('main form');
  await expect(form.getByRole('link', { name: '利用規約', exact: true })).toHaveAttribute('target', '_blank');
  await expect(form.getByRole('link', { name: '個人情報の取扱い', exact: true })).toHaveAttribute('href', '/privacy');
  await fillAccount(other, loginId, { agree: false });
  await form.evaluate((f: HTMLFormElement) => { f.noValidate = true; });
  await other.getByRole('button', { name: '登録' }).click();
  await expect(other.locator('#agree-error')).toHaveText('利用規約と個人情報の取扱いをご確認のうえ、同意する場合はチェックを入れてください。');
  await other.getByLabel('利用規約と個人情報の取扱いに同意します').check();
  await other.getByRole('button', { name: '登録' }).click();
  await expect(other.getByText('利用登録が完了しました。')).toBeVisible();
  const m3 = await mailbox.waitForMail(m.email, '利用登録完了のご案内');
  expect(m3.text).toContain(loginId);
  await expect(other.getByRole('link', { name: 'ログイン' }).last()).toHaveAttribute('href', '/');
  await phone.close();
});

test('unknown and already registered addresses get their own mail and the same screen', async ({ page, portal, mailbox }, testInfo) => {
  const stranger = `stranger-${testInfo.project.name}-${Date.now()}@else.test`;
  await startRegistration(page, stranger);
  const strangerPage = await page.locator('main').innerText();
  const notice = await mailbox.waitForMail(stranger, '利用登録を開始できませんでした');
  expect(notice.text).toContain('/inquiry');

  const m = await newMember(portal, 'again');
  await registerMember(page, mailbox, m);
  await startRegistration(page, m.email.toUpperCase());
  expect(await page.locator('main').innerText()).toBe(strangerPage);
  const already = await mailbox.waitForMail(m.email, 'ご登録済みのメールアドレスです');
  expect(already.text).toContain('/forgot');
});

test('wrong identity data gets the one generic message, a wrong CAPTCHA its own', async ({ page, portal, mailbox }) => {
  const m = await newMember(portal, 'wrong');
  await startRegistration(page, m.email);
  const m1 = await mailbox.waitForMail(m.email, '利用登録手続きのご案内');
  await gotoReady(page, linkIn(m1.text, '/register/verify/'));
  for (const wrong of [{ email: 'other@corp.test' }, { kigo: '78' }, { bango: '1' + m.bango }, { day: '2' }]) {
    await fillIdentity(page, m, wrong);
    await expect(page.getByRole('alert').filter({ hasText: '入力内容に誤りがあるか、本人確認ができませんでした。' })).toBeVisible();
  }
  await fillIdentity(page, m, { captcha: 'WRONG' });
  await expect(page.locator('#captcha-error')).toHaveText(/認証文字が正しくありません/);
  // The fifth failure spends the link.
  await fillIdentity(page, m, { day: '3' });
  await expect(page.getByText('入力の誤りが5回に達したため')).toBeVisible();
  await expect(page.getByRole('button', { name: '確認', exact: true })).toHaveCount(0);
  await expect(page.getByRole('link', { name: '新規利用登録をやり直す' })).toBeVisible();
  // Opening the link again shows the page for links that cannot be used.
  await gotoReady(page, linkIn(m1.text, '/register/verify/'));
  await expect(page.getByRole('heading', { name: 'このURLは使用できません' })).toBeVisible();
});

test('field rules are shown while typing, before anything is sent', async ({ page, portal, mailbox }) => {
  const m = await newMember(portal, 'rules');
  await gotoReady(page, '/register');
  await page.getByLabel('会社メールアドレス').fill('not-an-address');
  await expect(page.locator('#email-error')).toContainText('メールアドレスの形式が正しくありません');
  const { key, m2Link } = await passIdentity(page, mailbox, m);
  await gotoReady(page, m2Link);
  await page.getByLabel('認証キー').fill('12');
  await expect(page.locator('#identity_key-error')).toHaveText('認証キーは数字4桁で入力してください。');
  await page.getByLabel('認証キー').fill(key);
  await page.getByRole('button', { name: '認証' }).click();
  await expect(page.getByRole('heading', { name: 'ログインID・パスワードの設定' })).toBeVisible();
  await waitHydrated(page); // a new page: its checks run once its island is interactive

  const loginId = page.getByLabel('ログインID');
  await loginId.fill('short');
  await expect(page.locator('#login_id-error')).toContainText('8文字以上39文字以内');
  await loginId.fill('yamada taro');
  await expect(page.locator('#login_id-error')).toContainText('使えない文字');
  await loginId.fill('hanako.rules');
  await expect(page.locator('#login_id-error')).toBeEmpty();

  const password = page.getByLabel('パスワード', { exact: true });
  for (const [value, message] of [
    ['Ab1#', '10文字以上39文字以内'],
    ['blue7#harbor', '英大文字'],
    ['BLUE7#HARBOR', '英小文字'],
    ['Blue#Harbor!', '数字'],
    ['Blue7Harbor2', '記号'],
    ['Blue7_Harbor#', '使えない文字'],
    ['X1#hanako.rules', 'ログインID'],
  ]) {
    await password.fill(value);
    await expect(page.locator('#password-error'), value).toContainText(message);
  }
  await password.fill('Abcd#12345');
  await expect(page.locator('#password-error')).toBeEmpty();
  await expect(page.locator('.meter-label')).toContainText(/弱い/);
  await password.fill(GOOD_PASSWORD);
  await expect(page.locator('.meter-label')).toContainText(/強い/);
  await page.getByLabel('パスワード（確認）').fill(GOOD_PASSWORD + 'x');
  await expect(page.locator('#password_confirm-error')).toHaveText('パスワードと確認用パスワードが一致しません。');
});

test('a login ID already in use is refused by the server next to the field', async ({ page, portal, mailbox }) => {
  const first = await newMember(portal, 'dup1');
  const second = await newMember(portal, 'dup2');
  const loginId = `taken.${Date.now()}`;
  for (const [m, expectDone] of [[first, true], [second, false]] as const) {
    const { key, m2Link } = await passIdentity(page, mailbox, m);
    await gotoReady(page, m2Link);
    await page.getByLabel('認証キー').fill(key);
    await page.getByRole('button', { name: '認証' }).click();
    await fillAccount(page, expectDone ? loginId : loginId.toUpperCase());
    await page.getByRole('button', { name: '登録' }).click();
    if (expectDone) await expect(page.getByText('利用登録が完了しました。')).toBeVisible();
    else await expect(page.locator('#login_id-error')).toHaveText('このログインIDは既に使われています。別のログインIDを入力してください。');
  }
});

test('a used key link cannot be used again', async ({ page, portal, mailbox }) => {
  const m = await newMember(portal, 'reuse');
  const { key, m1Link, m2Link } = await passIdentity(page, mailbox, m);
  await gotoReady(page, m1Link);
  await expect(page.getByRole('heading', { name: 'このURLは使用できません' })).toBeVisible();
  await gotoReady(page, m2Link);
  await page.getByLabel('認証キー').fill(key);
  await page.getByRole('button', { name: '認証' }).click();
  await expect(page.getByRole('heading', { name: 'ログインID・パスワードの設定' })).toBeVisible();
  await gotoReady(page, m2Link);
  await expect(page.getByRole('heading', { name: 'このURLは使用できません' })).toBeVisible();
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('the whole wizard works with plain form posts', async ({ page, portal, mailbox }) => {
    const m = await newMember(portal, 'nojs');
    await startRegistration(page, m.email, false);
    const m1 = await mailbox.waitForMail(m.email, '利用登録手続きのご案内');
    await gotoReady(page, linkIn(m1.text, '/register/verify/'), false);
    // A mistake comes back next to its field after the round trip.
    await fillIdentity(page, m, { captcha: 'WRONG' });
    await expect(page.locator('#captcha-error')).toHaveText(/認証文字が正しくありません/);
    await fillIdentity(page, m);
    const key = (await page.getByTestId('identity-key').textContent())!.trim();
    const m2 = await mailbox.waitForMail(m.email, '本人確認完了のご案内');
    await gotoReady(page, linkIn(m2.text, '/register/confirm/'), false);
    await page.getByLabel('認証キー').fill(key);
    await page.getByRole('button', { name: '認証' }).click();
    await fillAccount(page, `nojs.${Date.now()}`);
    await page.getByRole('button', { name: '登録' }).click();
    await expect(page.getByText('利用登録が完了しました。')).toBeVisible();
    await mailbox.waitForMail(m.email, '利用登録完了のご案内');
  });
});
