// Help before and during sign-up (manual sections 1 and 6): 事前準備, the 記号・番号 disclosure,
// the advice for members who left the company.
import { test, expect } from '../fixtures';
import { axe, gotoReady, linkIn, login, newMember, registerMember, startRegistration } from '../helpers';

test('the login page leads to 事前準備: the sender to allow, where to find 記号・番号, the way on', async ({ page }) => {
  await gotoReady(page, '/');
  await expect(page.getByText('新規登録がご不明な方・紙の通知を紛失された方：')).toBeVisible();
  await page.getByRole('link', { name: '事前準備（新規利用登録の前にご確認ください）' }).click();
  await expect(page.getByRole('heading', { name: '事前準備', level: 1 })).toBeVisible();
  // The sender comes from MAIL_FROM, without its display name.
  await expect(page.locator('.sender')).toHaveText('info@kenpo.test');
  await expect(page.getByText('「健康保険証」→「資格情報」を選択します')).toBeVisible();
  await expect(page.getByText('記号は数字2桁、番号は数字1桁～6桁です')).toBeVisible();
  await expect(page.getByRole('heading', { name: '任意継続・特例退職の方' })).toBeVisible();
  await axe(page);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await page.getByRole('link', { name: '新規利用登録へ進む' }).click();
  await expect(page).toHaveURL(/\/register$/);
  // Step 1 links back to it.
  await expect(page.getByRole('link', { name: '事前準備', exact: true })).toHaveAttribute('href', '/guide');
});

test('step 2 and the inquiry form explain where 記号・番号 are, folded under the fields', async ({ page, portal, mailbox }) => {
  const m = await newMember(portal, 'howto');
  await startRegistration(page, m.email);
  const m1 = await mailbox.waitForMail(m.email, '利用登録手続きのご案内');
  await gotoReady(page, linkIn(m1.text, '/register/verify/'));
  const item = page.getByText('マイナポータル：「健康保険証」→「資格情報」');
  await expect(item).toBeHidden();
  await page.getByText('記号・番号の確認方法').click();
  await expect(item).toBeVisible();
  await expect(page.getByRole('link', { name: '詳しくは「事前準備」（別のタブで開きます）' })).toHaveAttribute('target', '_blank');
  await axe(page);
  // Opening it kept what was typed (a disclosure, not a page change).
  await page.getByLabel('記号').fill('12');
  await page.getByText('記号・番号の確認方法').click();
  await expect(page.getByLabel('記号')).toHaveValue('12');

  await gotoReady(page, '/inquiry');
  await page.getByText('記号・番号の確認方法').click();
  await expect(page.getByText('お勤め先の人事システム（導入している会社のみ）')).toBeVisible();
});

test('プロフィール設定 advises replacing a company address 1 to 任意継続 members, not to employed ones', async ({ page, browser, portal, mailbox }) => {
  const advice = '任意継続・特例退職の方で在職時に登録された方は、メールアドレス1を会社メールアドレス以外の受け取れるメールアドレスに変更してください。';
  const retiree = await newMember(portal, 'nini', { status: '任意継続' });
  await login(page, await registerMember(page, mailbox, retiree));
  await expect(page.getByRole('heading', { name: `${retiree.name}さん` })).toBeVisible();
  await gotoReady(page, '/profile');
  await expect(page.getByText(advice)).toBeVisible();
  await axe(page);

  const other = await browser.newContext();
  const employedPage = await other.newPage();
  const employed = await newMember(portal, 'zaishoku');
  await login(employedPage, await registerMember(employedPage, mailbox, employed));
  await expect(employedPage.getByRole('heading', { name: `${employed.name}さん` })).toBeVisible();
  await gotoReady(employedPage, '/profile');
  await expect(employedPage.getByRole('heading', { name: 'プロフィール設定' })).toBeVisible();
  await expect(employedPage.getByText(advice)).toHaveCount(0);
  await other.close();
});

test('the footer leads to 利用規約 and 個人情報の取扱い, each with its version', async ({ page }) => {
  await gotoReady(page, '/');
  const footer = page.getByRole('navigation', { name: '規約' });
  await footer.getByRole('link', { name: '利用規約' }).click();
  await expect(page.getByRole('heading', { name: '利用規約', level: 1 })).toBeVisible();
  await expect(page.getByText('版：2026年12月1日 制定')).toBeVisible();
  await expect(page.getByRole('heading', { name: '第3条（ログインIDおよびパスワードの管理）' })).toBeVisible();
  await axe(page);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await page.getByRole('navigation', { name: '規約' }).getByRole('link', { name: '個人情報の取扱い' }).click();
  await expect(page.getByRole('heading', { name: '個人情報の取扱い', level: 1 })).toBeVisible();
  await expect(page.getByRole('heading', { name: '5. 退会後の取扱い' })).toBeVisible();
  await axe(page);
});
