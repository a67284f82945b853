// 医療費のお知らせ: a 管理者 uploads the demo year, previews and publishes it; the member who takes
// 医療費通知 gets the mail (no amounts in it), opens the page, filters by 受診者 and downloads the
// PDF for the 医療費控除 (its text holds the six items and the masked number); the member who
// unchecked 医療費通知 gets no mail and still sees hers. The member runs on this project's device
// (desktop or phone); the console on a desktop.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { test, expect, startPortal, waitHydrated, REPO } from '../fixtures';
import { axe, gotoReady, login, registerMember, enrolStaff, staffLogin, Member } from '../helpers';

const TARO: Member = { email: 'taro.yamada@demo-corp.example', kigo: '12', bango: '345', year: '1985', month: '4', day: '1', name: '山田 太郎' };
const HANAKO: Member = { email: 'hanako.sato@demo-corp.example', kigo: '12', bango: '1001', year: '1990', month: '12', day: '24', name: '佐藤 花子' };
const SUBJECT = '医療費のお知らせを掲載しました';

test('a 管理者 publishes the demo year; the member reads it, filters by 受診者 and downloads the PDF for 医療費控除', async ({ browser, mailbox, viewport, userAgent, isMobile, hasTouch, deviceScaleFactor }) => {
  test.setTimeout(180_000);
  // A portal of its own: the demo roster's numbers are the demo year's households.
  const { portal, stop } = await startPortal(mailbox);
  try {
    const imported = await portal.cli('import-roster', path.join(REPO, 'demo', 'roster.csv'));
    expect(imported.code, imported.stderr).toBe(0);
    const device = { baseURL: portal.baseURL, viewport, userAgent, isMobile, hasTouch, deviceScaleFactor };

    const taroContext = await browser.newContext(device);
    const taro = await taroContext.newPage();
    const taroLogin = await registerMember(taro, mailbox, TARO);
    await login(taro, taroLogin);
    await expect(taro.getByText('まだ掲載している医療費のお知らせはありません。')).toBeVisible();

    const hanakoContext = await browser.newContext(device);
    const hanako = await hanakoContext.newPage();
    const hanakoLogin = await registerMember(hanako, mailbox, HANAKO);
    await login(hanako, hanakoLogin);
    await expect(hanako.getByRole('heading', { name: `${HANAKO.name}さん` })).toBeVisible();
    await gotoReady(hanako, '/profile');
    await hanako.getByLabel('医療費通知').uncheck();
    await hanako.getByRole('button', { name: '登録' }).click();
    await expect(hanako.getByRole('status').filter({ hasText: 'プロフィールを登録しました。' })).toBeVisible();

    // The console: upload the demo year, see what it holds, load it, publish it now.
    const staffContext = await browser.newContext({ baseURL: portal.baseURL });
    const staff = await staffContext.newPage();
    const { email, secret } = await enrolStaff(staff, portal, 'admin', '管理 七郎');
    await staffLogin(staff, email, secret);
    await staff.getByRole('link', { name: '医療費データ取込' }).first().click();
    await axe(staff);
    await staff.getByLabel('医療費データ（CSV）').setInputFiles(path.join(REPO, 'demo', 'medical-2026.csv'));
    await staff.getByRole('button', { name: '確認画面へ' }).click();
    await expect(staff.getByTestId('medical-batch')).toHaveText('2026年11月');
    await expect(staff.getByTestId('medical-unknown')).toHaveText('1');
    await expect(staff.getByTestId('medical-unknown-lines')).toContainText('12-9999');
    await axe(staff);
    await staff.getByRole('button', { name: 'この内容で取り込む' }).click();
    await expect(staff.getByTestId('medical-state')).toHaveText('未公開');
    await axe(staff);
    await staff.getByRole('button', { name: '公開予約する' }).click();
    await expect(staff.getByTestId('medical-state')).toContainText('公開中');

    // The mail says only that it is there.
    const mail = await mailbox.waitForMail(TARO.email, SUBJECT);
    expect(mail.text).toContain(`${portal.baseURL}/medical`);
    for (const privateWord of ['山田', 'クリニック', '薬局', '円']) expect(mail.text).not.toContain(privateWord);

    // ホーム names the latest month; the page lists the household, filtered by 受診者.
    await gotoReady(taro, '/home');
    await expect(taro.getByTestId('home-medical')).toContainText('2026年9月');
    await taro.getByRole('link', { name: '医療費のお知らせを見る' }).click();
    await expect(taro.getByRole('heading', { name: '医療費のお知らせ', level: 1 })).toBeVisible();
    await expect(taro.getByTestId('medical-covered')).toContainText('2026年1月〜9月診療分');
    await expect(taro.getByTestId('medical-totals')).toContainText('山田 花子');
    await expect(taro.getByText('東京ミライ総合病院').first()).toBeVisible();
    await axe(taro);
    await taro.getByLabel('受診者').selectOption('山田 陽翔');
    await taro.getByRole('button', { name: '表示する' }).click();
    await expect(taro).toHaveURL(/patient=/);
    await expect(taro.getByTestId('medical-totals').locator('tbody tr')).toHaveCount(1);
    await expect(taro.getByTestId('medical-totals')).not.toContainText('山田 花子');

    // The PDF: its text holds the six items and the masked number.
    const [download] = await Promise.all([taro.waitForEvent('download'), taro.getByTestId('medical-pdf').click()]);
    const file = await download.path();
    const text = execFileSync('pdftotext', ['-layout', file!, '-']).toString();
    for (const item of ['被保険者等の氏名', '山田 太郎', '療養を受けた年月', '療養を受けた者', '山田 花子', '療養を受けた病院・診療所・薬局等の名称',
      '東京ミライ総合病院', '被保険者等が支払った医療費の額', '80,100円', '保険者の名称', '**-***']) {
      expect(text, item).toContain(item);
    }
    expect(text).not.toContain('12-345');
    await gotoReady(taro, '/medical/print?year=2026');
    await expect(taro.getByRole('heading', { name: '医療費のお知らせ（2026年分）' })).toBeVisible();
    await axe(taro);

    // 佐藤 花子 unchecked 医療費通知: no mail, and her page shows hers only.
    expect(mailbox.find(HANAKO.email, SUBJECT)).toHaveLength(0);
    await gotoReady(hanako, '/medical');
    await expect(hanako.getByTestId('medical-totals')).toContainText('佐藤 花子');
    await expect(hanako.getByTestId('medical-totals')).not.toContainText('山田');
    await waitHydrated(hanako);

    await taroContext.close();
    await hanakoContext.close();
    await staffContext.close();
  } finally {
    await stop();
  }
});
