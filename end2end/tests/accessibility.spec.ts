// JIS X 8341-3: a member who cannot read the 認証文字 image registers and uses the inquiry form
// by keyboard alone with the non-visual alternative (the browser proves some work instead);
// every control is reached by Tab and announced by its name.
import type { Page } from '@playwright/test';
import { test, expect } from '../fixtures';
import { axe, fillInquiry, gotoReady, linkIn, newMember, startRegistration } from '../helpers';

const ALTERNATIVE = '画像の文字が読めない方：文字を入力せずに確認する';

/** Tabs forward until the control named `name` has the focus (at most `limit` presses). */
async function tabTo(page: Page, role: 'button' | 'textbox' | 'combobox', name: string, limit = 40) {
  const target = page.getByRole(role, { name, exact: true });
  for (let i = 0; i < limit; i++) {
    if (await target.evaluate((el) => el === document.activeElement, undefined, { timeout: 1000 }).catch(() => false)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached ${role} 「${name}」`);
}

/** The alternative by keyboard: Enter on it, then the announcement, and no text field is left. */
async function proveByKeyboard(page: Page) {
  await tabTo(page, 'button', ALTERNATIVE);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('status').filter({ hasText: '確認が完了しました。認証文字の入力は不要です。' })).toBeVisible({ timeout: 30_000 });
  await expect(page.getByRole('textbox', { name: '認証文字' })).toHaveCount(0);
}

test('step 2 by keyboard alone, without reading the 認証文字 image', async ({ page, portal, mailbox }) => {
  const m = await newMember(portal, 'a11y');
  await startRegistration(page, m.email);
  const m1 = await mailbox.waitForMail(m.email, '利用登録手続きのご案内');
  await gotoReady(page, linkIn(m1.text, '/register/verify/'));
  await axe(page);
  await page.locator('body').focus();
  await tabTo(page, 'textbox', 'メールアドレス');
  await page.keyboard.type(m.email);
  await tabTo(page, 'textbox', '記号');
  await page.keyboard.type(m.kigo);
  await tabTo(page, 'textbox', '番号');
  await page.keyboard.type(m.bango);
  for (const [label, value] of [['年', m.year], ['月', m.month], ['日', m.day]]) {
    await tabTo(page, 'combobox', label);
    await page.getByRole('combobox', { name: label, exact: true }).selectOption(value);
  }
  await proveByKeyboard(page);
  await tabTo(page, 'button', '確認');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('identity-key')).toBeVisible();
  await mailbox.waitForMail(m.email, '本人確認完了のご案内');
});

test('the inquiry form sends with the non-visual alternative', async ({ page, mailbox }) => {
  await gotoReady(page, '/inquiry');
  const contact = `a11y-${Date.now()}@home.test`;
  await fillInquiry(page, contact, '画像の文字が読めません。');
  await page.getByLabel('内容').focus();
  await proveByKeyboard(page);
  await axe(page);
  await tabTo(page, 'button', '送信');
  await page.keyboard.press('Enter');
  await expect(page.getByText('お問い合わせを受け付けました。')).toBeVisible();
  await mailbox.waitForMail(contact, 'お問い合わせを受け付けました');
});

test('the accessibility statement is linked from every member page and lists what axe checked', async ({ page }) => {
  await gotoReady(page, '/');
  // The login page is checked here too (the statement lists the pages the run checked).
  await axe(page);
  await page.getByRole('link', { name: 'ウェブアクセシビリティ' }).click();
  await expect(page.getByRole('heading', { name: 'ウェブアクセシビリティ方針', level: 1 })).toBeVisible();
  await expect(page.getByText('JIS X 8341-3:2016 の適合レベル AA に準拠することを目標とします。')).toBeVisible();
  const summary = page.getByTestId('accessibility-summary');
  await expect(summary).toContainText('axe-core');
  // The pages listed are the test run's own (content/accessibility-check.json), each with its address.
  await expect(page.getByRole('table', { name: '試験した画面' }).locator('code').filter({ hasText: /^\/home$/ })).toHaveCount(1);
  await expect(page.getByRole('link', { name: '問い合わせフォーム' })).toHaveAttribute('href', '/inquiry');
  await axe(page);
});
