// The family and 資格情報のお知らせ: a 管理者 uploads the demo family (preview, apply); the member
// who takes 「通知書・証明書」 gets the mail (no names in it), sees ご家族, opens the notices and
// downloads the household's PDF (its text holds every item); the member who unchecked it gets no
// mail and still sees hers; a roster upload that changes 枝番 issues a new version, mails again, and
// the first stays in the history; the demo 給付金 decisions are loaded and read as list, notice and
// PDF. The member runs on this project's device; the console on a desktop.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test, expect, startPortal, waitHydrated, REPO, SOCIETY_NAME } from '../fixtures';
import { axe, gotoReady, login, registerMember, enrolStaff, staffLogin, Member } from '../helpers';

const TARO: Member = { email: 'taro.yamada@demo-corp.example', kigo: '12', bango: '345', year: '1985', month: '4', day: '1', name: '山田 太郎' };
const HANAKO: Member = { email: 'hanako.sato@demo-corp.example', kigo: '12', bango: '1001', year: '1990', month: '12', day: '24', name: '佐藤 花子' };
const SUBJECT = '資格情報のお知らせを掲載しました';

test('a 管理者 imports the family; the member sees ご家族, downloads the household notice, and a changed 枝番 issues a new version', async ({ browser, mailbox, viewport, userAgent, isMobile, hasTouch, deviceScaleFactor }) => {
  test.setTimeout(180_000);
  const { portal, stop } = await startPortal(mailbox);
  try {
    const imported = await portal.cli('import-roster', path.join(REPO, 'demo', 'roster.csv'));
    expect(imported.code, imported.stderr).toBe(0);
    const device = { baseURL: portal.baseURL, viewport, userAgent, isMobile, hasTouch, deviceScaleFactor };

    const taroContext = await browser.newContext(device);
    const taro = await taroContext.newPage();
    await login(taro, await registerMember(taro, mailbox, TARO));
    await expect(taro.getByRole('heading', { name: `${TARO.name}さん` })).toBeVisible();

    const hanakoContext = await browser.newContext(device);
    const hanako = await hanakoContext.newPage();
    await login(hanako, await registerMember(hanako, mailbox, HANAKO));
    await expect(hanako.getByRole('heading', { name: `${HANAKO.name}さん` })).toBeVisible();
    await gotoReady(hanako, '/profile');
    await hanako.getByLabel('通知書・証明書').uncheck();
    await hanako.getByRole('button', { name: '登録' }).click();
    await expect(hanako.getByRole('status').filter({ hasText: 'プロフィールを登録しました。' })).toBeVisible();

    // The console: upload the demo family, see what it would do, apply it.
    const staffContext = await browser.newContext({ baseURL: portal.baseURL });
    const staff = await staffContext.newPage();
    const { email, secret } = await enrolStaff(staff, portal, 'admin', '管理 八郎');
    await staffLogin(staff, email, secret);
    await staff.getByRole('link', { name: '被扶養者名簿・資格情報' }).first().click();
    await axe(staff);
    await staff.getByLabel('被扶養者名簿（CSV）').setInputFiles(path.join(REPO, 'demo', 'family.csv'));
    await staff.getByRole('button', { name: '確認画面へ' }).click();
    await expect(staff.getByTestId('family-households')).toHaveText('4');
    await expect(staff.getByTestId('family-new')).toHaveText('6');
    await axe(staff);
    await staff.getByRole('button', { name: 'この内容で取り込む' }).click();
    await expect(staff.getByTestId('applied')).toContainText('資格情報のお知らせ');

    // The mail says only that something is there.
    const mail = await mailbox.waitForMail(TARO.email, SUBJECT);
    expect(mail.text).toContain(`${portal.baseURL}/qualification`);
    for (const privateWord of ['山田', '陽翔', '12-345', '1987']) expect(mail.text).not.toContain(privateWord);

    // ご家族: the household as the society has it, the former 被扶養者 marked, the way to correct it.
    await gotoReady(taro, '/home');
    await expect(taro.getByTestId('home-qualification')).toContainText('3名分');
    await taro.getByRole('link', { name: 'ご家族の登録内容を見る' }).click();
    await expect(taro.getByRole('heading', { name: 'ご家族', level: 1 })).toBeVisible();
    const family = taro.getByTestId('family');
    for (const name of ['山田 太郎', '山田 花子', '山田 陽翔', '山田 結衣']) await expect(family).toContainText(name);
    await expect(family).toContainText('資格喪失（2025年3月31日）');
    await expect(taro.getByRole('link', { name: 'お問い合わせ' })).toBeVisible();
    await axe(taro);

    // 資格情報のお知らせ: a card per covered person, the household's PDF.
    await taro.getByRole('link', { name: '資格情報のお知らせを見る' }).click();
    await expect(taro.getByRole('heading', { name: '資格情報のお知らせ', level: 1 })).toBeVisible();
    const current = taro.getByTestId('qualification-current');
    await expect(current.locator('li.person')).toHaveCount(3);
    await expect(current).toContainText('06000000');
    await expect(current).not.toContainText('山田 結衣');
    await axe(taro);
    const [download] = await Promise.all([taro.waitForEvent('download'), taro.getByTestId('qualification-pdf-all').click()]);
    const text = execFileSync('pdftotext', [(await download.path())!, '-']).toString();
    for (const item of ['資格情報のお知らせ', '保険者番号', '06000000', SOCIETY_NAME, '記号', '番号', '枝番', '山田 太郎 様', '山田 花子 様', '山田 陽翔 様',
      '1987年6月15日', '資格取得年月日', '2015年4月1日', '保険証ではありません', 'マイナ保険証']) {
      expect(text, item).toContain(item);
    }
    expect(text).not.toContain('山田 結衣');
    expect(text).not.toContain('佐藤');

    // 佐藤 花子 unchecked 「通知書・証明書」: no mail; her page shows her household only.
    expect(mailbox.find(HANAKO.email, SUBJECT)).toHaveLength(0);
    await gotoReady(hanako, '/qualification');
    await expect(hanako.getByTestId('qualification-current')).toContainText('佐藤 健');
    await expect(hanako.getByTestId('qualification-current')).not.toContainText('山田');
    await waitHydrated(hanako);

    // A roster upload changes 山田 太郎's 枝番: a new version, a second mail, the first in the history.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'roster-'));
    const roster = path.join(dir, 'roster.csv');
    fs.writeFileSync(roster, 'kigo,bango,birth_date,name,name_kana,email,status,branch\n12,345,1985-04-01,山田 太郎,ヤマダ タロウ,taro.yamada@demo-corp.example,在職,05\n');
    await staff.goto('/staff/roster');
    await staff.getByLabel('名簿ファイル（CSV）').setInputFiles(roster);
    await staff.getByRole('button', { name: '確認画面へ' }).click();
    await expect(staff.getByText('2行目 12-345')).toBeVisible();
    await staff.getByRole('button', { name: 'この内容で適用する' }).click();
    await expect(staff.getByTestId('applied')).toContainText('資格情報のお知らせ 1 件');
    await expect.poll(() => mailbox.find(TARO.email, SUBJECT).length).toBe(2);
    await gotoReady(taro, '/qualification');
    await expect(taro.getByTestId('qualification-branch').first()).toHaveText('05');
    await expect(taro.getByTestId('qualification-history')).toContainText('山田 太郎');
    await expect(taro.getByTestId('qualification-history')).toContainText('第1版');
    await axe(taro);

    // 給付金支給決定通知書: the demo decisions, loaded in the console; the list, the notice, its PDF.
    await staff.goto('/staff/benefits');
    await axe(staff);
    await staff.getByLabel('給付金の決定ファイル（CSV）').setInputFiles(path.join(REPO, 'demo', 'benefits-2026.csv'));
    await staff.getByRole('button', { name: '確認画面へ' }).click();
    await expect(staff.getByTestId('benefit-decided')).toHaveText('2026年11月10日');
    await expect(staff.getByTestId('benefit-lines')).toHaveText('4');
    await axe(staff);
    await staff.getByRole('button', { name: 'この内容で取り込んで掲載する' }).click();
    await expect(staff.getByTestId('applied')).toContainText('決定日 2026年11月10日');
    const benefitMail = await mailbox.waitForMail(TARO.email, '給付金のお知らせを掲載しました');
    for (const privateWord of ['山田', '高額療養費', '45,600', 'みずほ']) expect(benefitMail.text).not.toContain(privateWord);
    await gotoReady(taro, '/home');
    await expect(taro.getByTestId('home-benefits')).toContainText('2件');
    await taro.getByRole('link', { name: '給付金のお知らせを見る' }).click();
    await expect(taro.getByRole('heading', { name: '給付金支給決定通知書', level: 1 })).toBeVisible();
    await expect(taro.getByTestId('benefits')).toContainText('高額療養費');
    await expect(taro.getByTestId('benefits')).not.toContainText('鈴木');
    await axe(taro);
    await taro.getByRole('link', { name: '2026年11月10日 高額療養費 詳しく見る' }).click();
    await expect(taro.getByTestId('benefit-amount')).toHaveText('45,600円');
    await expect(taro.getByTestId('benefit')).toContainText('****567');
    await axe(taro);
    const [notice] = await Promise.all([taro.waitForEvent('download'), taro.getByTestId('benefit-pdf').click()]);
    const noticeText = execFileSync('pdftotext', [(await notice.path())!, '-']).toString();
    for (const item of ['給付金支給決定通知書', '山田 太郎 様', '高額療養費', '山田 花子', '45,600円', '****567']) expect(noticeText, item).toContain(item);
    expect(noticeText).not.toContain('1234567');

    await taroContext.close();
    await hanakoContext.close();
    await staffContext.close();
  } finally {
    await stop();
  }
});
