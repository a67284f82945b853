// 職員画面 (desktop): the first 管理者 from the CLI enrols an authenticator and logs in; a 担当者
// finds a locked member by 記号・番号, unlocks them, issues and prints a letter, and answers an
// inquiry by mail. Codes are computed from the enrolled secret (RFC 6238); axe checks each page.
import { devices } from '@playwright/test';
import { test, expect, startPortal, waitHydrated, CAPTCHA_TEST_ANSWER } from '../fixtures';
import {
  newMember, registerMember, login, loggedInMember, gotoReady, linkIn, GOOD_PASSWORD, axe, enrolStaff, staffLogin, STAFF_PASSWORD,
  approveRequest,
} from '../helpers';

test.skip(({ isMobile }) => isMobile, 'the staff console is for desktop browsers');

test('a 管理者 created by the CLI enrols an authenticator and logs in with the code', async ({ page, portal }) => {
  const { email, secret } = await enrolStaff(page, portal, 'admin', '管理 花子', true);
  await page.goto('/staff/login');
  await waitHydrated(page);
  await axe(page);
  // A wrong code is refused like a wrong password.
  await page.getByLabel('ログインID（メールアドレス）').fill(email);
  await page.getByLabel('パスワード').fill(STAFF_PASSWORD);
  await page.getByLabel('確認コード').fill('123456');
  await page.getByRole('button', { name: 'ログイン', exact: true }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'ログインID、パスワードまたは確認コードが正しくありません。' })).toBeVisible();
  await staffLogin(page, email, secret);
  await expect(page.getByText('管理 花子 （管理者）')).toBeVisible();
  await axe(page);
  await page.getByRole('link', { name: '職員管理' }).click();
  await expect(page.getByRole('cell', { name: email })).toBeVisible();
  await axe(page);
  await page.getByRole('button', { name: 'ログアウト' }).click();
  await expect(page.getByRole('heading', { name: '職員ログイン' })).toBeVisible();
});

test('a 担当者 unlocks a locked member, prints a letter and answers an inquiry by mail', async ({ page, browser, portal, mailbox }) => {
  test.setTimeout(120_000);
  // A registered member who locked themself out (4 failures in this portal's settings).
  const memberContext = await browser.newContext();
  const memberPage = await memberContext.newPage();
  const m = await newMember(portal, 'locked');
  const loginId = await registerMember(memberPage, mailbox, m);
  for (let i = 0; i < 4; i += 1) {
    await login(memberPage, loginId, 'Wrong#Password-1');
    await expect(memberPage.getByRole('alert').filter({ hasText: /正しくありません|一時的にロックされています/ })).toBeVisible();
  }
  await login(memberPage, loginId, GOOD_PASSWORD);
  await expect(memberPage.getByRole('alert').filter({ hasText: '一時的にロックされています' })).toBeVisible();

  const { email, secret } = await enrolStaff(page, portal, 'agent', '担当 次郎');
  await staffLogin(page, email, secret);
  await expect(page.getByRole('link', { name: '職員管理' })).toHaveCount(0);

  // Found by 記号・番号.
  await page.getByLabel('加入者検索').fill(`${m.kigo}-${m.bango}`);
  await page.getByRole('button', { name: '検索' }).click();
  await expect(page.getByRole('cell', { name: /ロック中/ })).toBeVisible();
  await axe(page);
  await page.getByRole('link', { name: `${m.kigo}-${m.bango}` }).click();
  await expect(page.getByTestId('account-state')).toContainText('ロック中');
  await expect(page.getByRole('cell', { name: 'ログインの一時ロックのお知らせ' })).toBeVisible();
  await axe(page);

  // ロック解除: a confirmation step with a reason.
  await page.getByRole('link', { name: 'ロック解除' }).click();
  await expect(page.getByRole('heading', { name: 'ロック解除' })).toBeVisible();
  await axe(page);
  // Without a reason (the browser's own check bypassed): the server says so next to the field.
  await page.locator('form:has(#reason)').evaluate((f: HTMLFormElement) => { f.noValidate = true; });
  await page.getByRole('button', { name: '実行する' }).click();
  await expect(page.locator('#reason-error')).toContainText('理由を入力してください');
  await page.getByLabel('理由').fill('電話で本人確認のうえ依頼あり');
  await page.getByRole('button', { name: '実行する' }).click();
  await expect(page.getByText('操作を完了しました。')).toBeVisible();
  await expect(page.getByTestId('account-state')).not.toContainText('ロック中');
  await expect(page.getByRole('cell', { name: '電話で本人確認のうえ依頼あり' })).toBeVisible();
  await login(memberPage, loginId, GOOD_PASSWORD);
  await expect(memberPage.getByRole('heading', { name: `${m.name}さん` })).toBeVisible();

  // 仮パスワード発行 for a registered member: the 担当者 asks, a 管理者 approves and prints the
  // letter (shown once, one A4 page); the 担当者 never sees the password.
  await page.getByRole('link', { name: '仮パスワード発行（紙通知）' }).click();
  await expect(page.getByText('別の管理者の承認で実行されます')).toBeVisible();
  await page.getByLabel('理由').fill('パスワード失念、郵送希望');
  await page.getByRole('button', { name: '実行する' }).click();
  await expect(page.getByText('依頼を受け付けました。')).toBeVisible();
  await expect(page.getByTestId('letter')).toHaveCount(0);
  await expect(page.getByRole('cell', { name: '承認の依頼（職員）' }).first()).toBeVisible();
  const admin = await (await browser.newContext()).newPage();
  const approver = await enrolStaff(admin, portal, 'admin', '管理 五郎');
  await staffLogin(admin, approver.email, approver.secret);
  await approveRequest(admin, 'パスワード失念、郵送希望', '本人から電話、登録住所へ郵送');
  const letter = admin.getByTestId('letter');
  await expect(letter).toHaveCount(1);
  await expect(letter.getByTestId('letter-login-id')).toHaveText(loginId);
  await expect(letter.getByRole('img', { name: 'ログイン画面のQRコード' })).toBeVisible();
  await expect(letter).toContainText('職員2名の確認を経て再発行しました');
  const password = (await letter.getByTestId('letter-password').textContent())!.trim();
  await admin.evaluate(() => { (window as any).printed = 0; window.print = () => { (window as any).printed += 1; }; });
  await admin.getByRole('button', { name: '印刷する' }).click();
  expect(await admin.evaluate(() => (window as any).printed)).toBe(1);
  await admin.emulateMedia({ media: 'print' });
  await expect(admin.locator('.staff-nav')).toBeHidden();
  await expect(letter).toBeVisible();
  const pdf = (await admin.pdf({ format: 'A4' })).toString('latin1');
  expect(pdf.match(/\/Type\s*\/Page[^s]/g)?.length, 'one A4 page per letter').toBe(1);
  await admin.emulateMedia({ media: 'screen' });
  await mailbox.waitForMail(m.email, '仮パスワード発行のお知らせ');
  // The member's session ended; the temporary password leads to パスワード変更.
  await login(memberPage, loginId, password);
  await expect(memberPage).toHaveURL(/\/password$/);

  // An inquiry from the form, answered from the console.
  const contact = `inq-${Date.now()}@home.test`;
  await memberPage.goto('/inquiry');
  await waitHydrated(memberPage);
  await memberPage.getByLabel('種別').selectOption({ label: 'ログインID・パスワードについて' });
  await memberPage.getByLabel('氏名').fill(m.name);
  await memberPage.getByLabel('記号').fill(m.kigo);
  await memberPage.getByLabel('番号', { exact: true }).fill(m.bango);
  await memberPage.getByLabel('年', { exact: true }).selectOption(m.year);
  await memberPage.getByLabel('月', { exact: true }).selectOption(m.month);
  await memberPage.getByLabel('日', { exact: true }).selectOption(m.day);
  await memberPage.getByLabel('連絡先メールアドレス').fill(contact);
  await memberPage.getByLabel('内容').fill('ログインIDを教えてください。');
  await memberPage.getByLabel('認証文字').fill(CAPTCHA_TEST_ANSWER);
  await memberPage.getByRole('button', { name: '送信' }).click();
  const reference = (await memberPage.getByTestId('reference').textContent())!.trim();

  await page.getByRole('link', { name: '問い合わせ対応' }).click();
  await axe(page);
  await page.getByRole('link', { name: reference }).click();
  await expect(page.getByTestId('reference')).toHaveText(reference);
  await expect(page.getByRole('link', { name: `${m.kigo}-${m.bango}` })).toBeVisible();
  await axe(page);
  await page.getByLabel('回答をメールで送る').fill(`ログインIDは ${loginId} です。`);
  await page.getByRole('button', { name: '回答を送信' }).click();
  await expect(page.getByText('変更しました。')).toBeVisible();
  await expect(page.getByText('回答（メール送信）')).toBeVisible();
  const reply = await mailbox.waitForMail(contact, `【${reference}】お問い合わせへの回答`);
  expect(reply.text).toContain(`ログインIDは ${loginId} です。`);

  // Every step is in the 監査ログ with this staff member.
  await page.getByRole('link', { name: '監査ログ' }).click();
  await expect(page.getByRole('cell', { name: 'ロック解除（職員）' }).first()).toBeVisible();
  await expect(page.getByRole('cell', { name: '問い合わせ回答' }).first()).toBeVisible();
  await axe(page);
  await memberContext.close();
});

test('a 担当者 posts a notice for 任意継続 that such a member sees on ホーム and an employed member does not', async ({ page, browser, portal, mailbox }) => {
  test.setTimeout(120_000);
  const { email, secret } = await enrolStaff(page, portal, 'agent', '担当 三郎');
  await staffLogin(page, email, secret);
  await page.getByRole('link', { name: 'お知らせ管理' }).click();
  await page.getByRole('link', { name: 'お知らせを作成' }).click();
  await axe(page);
  const title = `任意継続の方へ ${Date.now()}`;
  await page.getByLabel('件名').fill(title);
  await page.getByLabel('本文').fill('保険料の納付期限のご案内です。\n詳しくは https://kenpo.example.jp/nini をご覧ください。');
  await page.getByLabel('任意継続').check();
  await page.getByLabel('重要（一覧の先頭に表示）').check();
  await page.getByRole('button', { name: '保存する' }).click();
  await expect(page.getByText('保存しました。')).toBeVisible();
  await expect(page.getByRole('row', { name: new RegExp(`${title}.*掲載中.*任意継続`) })).toBeVisible();
  await axe(page);

  const voluntary = await browser.newContext();
  const vPage = await voluntary.newPage();
  const v = await newMember(portal, 'nini', { status: '任意継続' });
  const vLogin = await registerMember(vPage, mailbox, v);
  await login(vPage, vLogin);
  await expect(vPage.getByRole('heading', { name: `${v.name}さん` })).toBeVisible();
  await vPage.getByRole('link', { name: title }).click();
  await expect(vPage.getByRole('heading', { name: title })).toBeVisible();
  await expect(vPage.getByRole('link', { name: 'https://kenpo.example.jp/nini' })).toBeVisible();
  await voluntary.close();

  const employed = await browser.newContext();
  const ePage = await employed.newPage();
  await loggedInMember(ePage, portal, mailbox, 'zaishoku');
  await expect(ePage.getByRole('link', { name: title })).toHaveCount(0);
  await employed.close();
});

test('a 管理者 uploads a roster with a mistake, fixes it, previews and applies a 全件置換 that retires a member, who may then only read', async ({ page, browser, mailbox }) => {
  test.setTimeout(120_000);
  // A portal of its own: a 全件置換 retires everyone else on the roster.
  const { portal, stop } = await startPortal(mailbox);
  try {
    const memberContext = await browser.newContext({ baseURL: portal.baseURL });
    const memberPage = await memberContext.newPage();
    const stays = await newMember(portal, 'stays');
    const leaves = await newMember(portal, 'leaves');
    const leavesLogin = await registerMember(memberPage, mailbox, leaves);

    const staffContext = await browser.newContext({ baseURL: portal.baseURL });
    const staffPage = await staffContext.newPage();
    const { email, secret } = await enrolStaff(staffPage, portal, 'admin', '管理 四郎');
    await staffLogin(staffPage, email, secret);
    await staffPage.getByRole('link', { name: '名簿アップロード' }).click();
    await axe(staffPage);
    const row = (m: typeof stays, birth = '1985-04-01') => `${m.kigo},${m.bango},${birth},${m.name},,${m.email},在職`;
    const file = (rows: string[]) => ({ name: 'roster.csv', mimeType: 'text/csv', buffer: Buffer.from(`kigo,bango,birth_date,name,name_kana,email,status\n${rows.join('\n')}\n`) });

    await staffPage.getByLabel('名簿ファイル（CSV）').setInputFiles(file([row(stays, '1985-13-01')]));
    await staffPage.getByLabel(/全件置換/).check();
    await staffPage.getByRole('button', { name: '確認画面へ' }).click();
    await expect(staffPage.getByTestId('upload-errors')).toContainText('2行目');
    await axe(staffPage);

    await staffPage.getByRole('link', { name: '名簿アップロード' }).last().click();
    await staffPage.getByLabel('名簿ファイル（CSV）').setInputFiles(file([row(stays)]));
    await staffPage.getByLabel(/全件置換/).check();
    await staffPage.getByRole('button', { name: '確認画面へ' }).click();
    await expect(staffPage.getByTestId('roster-retired')).not.toHaveText('0');
    await expect(staffPage.getByRole('cell', { name: `${leaves.kigo}-${leaves.bango}` })).toBeVisible();
    // Most of the roster would retire: the 管理者 types the number shown (a wrong one is refused).
    const retired = (await staffPage.getByTestId('roster-retired').textContent())!.trim();
    await waitHydrated(staffPage);
    await staffPage.getByLabel('資格喪失になる人数（確認のため入力）').fill(String(Number(retired) + 1));
    await staffPage.getByRole('button', { name: 'この内容で適用する' }).click();
    await expect(staffPage.locator('#retire_count-error')).toContainText('人数が一致しません');
    await staffPage.getByLabel('資格喪失になる人数（確認のため入力）').fill(retired);
    await staffPage.getByRole('button', { name: 'この内容で適用する' }).click();
    await expect(staffPage.getByTestId('applied')).toContainText('資格喪失');

    // The member who left still logs in, to read the household's documents only
    // (DOCUMENTS_AFTER_LEAVING_MONTHS): ホーム says until when; プロフィール設定 leads back to ホーム.
    await login(memberPage, leavesLogin);
    await expect(memberPage.getByTestId('home-read-only')).toContainText('閲覧とダウンロードのみ');
    await axe(memberPage);
    await memberPage.goto('/profile');
    await expect(memberPage).toHaveURL(/\/home$/);
    await expect(memberPage.getByTestId('home-read-only')).toBeVisible();
    await memberContext.close();
    await staffContext.close();
  } finally {
    await stop();
  }
});

test('a 管理者 sends 医療費通知 to the confirmed addresses 1 and 2 of a member who wants it, not to one who does not; one click stops it', async ({ page, browser, mailbox }) => {
  test.setTimeout(150_000);
  // A portal of its own: a campaign goes to every member who wants the category.
  const { portal, stop } = await startPortal(mailbox);
  try {
    const wantsContext = await browser.newContext({ baseURL: portal.baseURL });
    const wants = await wantsContext.newPage();
    const member = await loggedInMember(wants, portal, mailbox, 'iryohi');
    const second = `home-${Date.now()}@example.test`;
    await gotoReady(wants, '/profile');
    await wants.getByLabel('メールアドレス2').fill(second);
    await wants.getByLabel('現在のパスワード').fill(GOOD_PASSWORD);
    await wants.getByRole('button', { name: '登録' }).click();
    // The save's answer first: opening the link while it is still on its way would race it.
    await expect(wants.getByRole('status').filter({ hasText: 'プロフィールを登録しました。' })).toBeVisible();
    const confirm = await mailbox.waitForMail(second, 'メールアドレス確認のお願い');
    await gotoReady(wants, linkIn(confirm.text, '/profile/email/'));
    await wants.getByRole('button', { name: '確認', exact: true }).click();
    await expect(wants.getByRole('status')).toBeVisible();

    const refusesContext = await browser.newContext({ baseURL: portal.baseURL });
    const refuses = await refusesContext.newPage();
    const other = await loggedInMember(refuses, portal, mailbox, 'kyohi');
    await gotoReady(refuses, '/profile');
    await refuses.getByLabel('医療費通知').uncheck();
    await refuses.getByRole('button', { name: '登録' }).click();
    await expect(refuses.getByRole('status').filter({ hasText: 'プロフィールを登録しました。' })).toBeVisible();

    const staffContext = await browser.newContext({ baseURL: portal.baseURL });
    const staffPage = await staffContext.newPage();
    const { email, secret } = await enrolStaff(staffPage, portal, 'admin', '管理 五郎');
    await staffLogin(staffPage, email, secret);
    await staffPage.getByRole('link', { name: '配信メール' }).first().click();
    await staffPage.getByRole('link', { name: '配信メールを作成' }).click();
    await axe(staffPage);
    const subject = `医療費のお知らせ ${Date.now()}`;
    await staffPage.getByLabel('種類（配信メール設定）').selectOption({ label: '医療費通知' });
    await staffPage.getByLabel('件名').fill(subject);
    await staffPage.getByLabel('本文').fill('医療費のお知らせをマイポータルに掲載しました。');
    await staffPage.getByRole('button', { name: '下書きを保存する' }).click();
    await expect(staffPage.getByText('保存しました。')).toBeVisible();
    await expect(staffPage.getByTestId('campaign-audience')).toContainText('2件のアドレス（1名）');
    await staffPage.getByRole('button', { name: '自分宛てにテスト送信' }).click();
    await mailbox.waitForMail(email, `【テスト】${subject}`);
    await staffPage.getByLabel('件名・本文と配信対象の件数を確認しました').check();
    await staffPage.getByRole('button', { name: '送信する' }).click();
    await expect(staffPage.getByText('送信を開始しました。')).toBeVisible();
    await axe(staffPage);
    // The progress updates by itself until both are delivered.
    await expect(staffPage.getByTestId('campaign-sent')).toHaveText('2', { timeout: 20_000 });

    const first = await mailbox.waitForMail(member.email, subject);
    await mailbox.waitForMail(second, subject);
    expect(mailbox.find(other.email, subject)).toHaveLength(0);
    expect(first.headers.get('list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
    const url = first.headers.get('list-unsubscribe')!.replace(/^<|>$/g, '');
    expect(first.text).toContain(url);

    // What a mail program's 配信停止 button does: one POST, no login.
    const clicked = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' });
    expect(clicked.status).toBe(200);
    await gotoReady(wants, '/profile');
    await expect(wants.getByLabel('医療費通知')).not.toBeChecked();
    await expect(wants.getByLabel('メールマガジン')).toBeChecked();

    // The same link opened on a phone: it says the category is off; once the member turns it on
    // again, the page's button turns it off (no login on that phone).
    const phoneContext = await browser.newContext({ ...devices['Pixel 5'], baseURL: portal.baseURL });
    const phone = await phoneContext.newPage();
    await gotoReady(phone, url);
    await expect(phone.getByTestId('unsubscribed')).toHaveText('「医療費通知」のメールの配信を停止しました。');
    await wants.getByLabel('医療費通知').check();
    await wants.getByLabel('現在のパスワード').fill(GOOD_PASSWORD);
    await wants.getByRole('button', { name: '登録' }).click();
    await expect(wants.getByRole('status').filter({ hasText: 'プロフィールを登録しました。' })).toBeVisible();
    await gotoReady(phone, url);
    await axe(phone);
    await phone.getByRole('button', { name: '配信を停止する' }).click();
    await expect(phone.getByTestId('unsubscribed')).toBeVisible();
    await gotoReady(wants, '/profile');
    await expect(wants.getByLabel('医療費通知')).not.toBeChecked();
    await phoneContext.close();
    await wantsContext.close();
    await refusesContext.close();
    await staffContext.close();
  } finally {
    await stop();
  }
});

test('a 管理者 cannot send a draft a 担当者 changed after the 管理者 opened it: the new version comes first', async ({ page, browser, portal }) => {
  const admin = await enrolStaff(page, portal, 'admin', '管理 六郎');
  await staffLogin(page, admin.email, admin.secret);
  await page.getByRole('link', { name: '配信メール' }).first().click();
  await page.getByRole('link', { name: '配信メールを作成' }).click();
  await page.getByLabel('種類（配信メール設定）').selectOption({ label: '健康情報誌' });
  await page.getByLabel('件名').fill(`健康情報誌 ${Date.now()}`);
  await page.getByLabel('本文').fill('最新号を掲載しました。');
  await page.getByRole('button', { name: '下書きを保存する' }).click();
  await expect(page.getByText('保存しました。')).toBeVisible();
  // A 担当者 edits the same draft while the 管理者's page still shows the first version.
  const agentPage = await (await browser.newContext()).newPage();
  const agent = await enrolStaff(agentPage, portal, 'agent', '担当 七郎');
  await staffLogin(agentPage, agent.email, agent.secret);
  await gotoReady(agentPage, page.url().replace(/\?.*$/, ''));
  await agentPage.getByLabel('本文').fill('最新号はこちら: https://evil.example/');
  await agentPage.getByRole('button', { name: '下書きを保存する' }).click();
  await expect(agentPage.getByText('保存しました。')).toBeVisible();
  await page.getByLabel('件名・本文と配信対象の件数を確認しました').check();
  await page.getByRole('button', { name: '送信する' }).click();
  await expect(page.getByRole('alert').filter({ hasText: '確認したあとに件名・本文・配信区分が変更されました' })).toBeVisible();
  // Nothing went out: the page, opened again, shows the new body and the draft's send form.
  await gotoReady(page, page.url().replace(/\?.*$/, ''));
  await expect(page.getByRole('textbox', { name: '本文' })).toHaveValue(/evil\.example/);
  await expect(page.getByRole('button', { name: '送信する' })).toBeVisible();
  await expect(page.getByText('送信を開始しました。')).toHaveCount(0);
});

test('a 担当者 sees the devices of their account on 職員ホーム and logs the other one out', async ({ page, browser, portal }) => {
  const { email, secret, backupCodes } = await enrolStaff(page, portal, 'agent', '端末 確認');
  await staffLogin(page, email, secret);
  const phoneContext = await browser.newContext({ ...devices['iPhone 13'], baseURL: portal.baseURL });
  const phone = await phoneContext.newPage();
  await staffLogin(phone, email, secret, backupCodes[0]);

  await page.reload();
  const devicesCard = page.locator('section.sessions');
  await expect(devicesCard.getByRole('heading', { name: 'ログイン中の端末' })).toBeVisible();
  await expect(devicesCard.getByRole('listitem')).toHaveCount(2);
  await expect(devicesCard.getByRole('listitem').first()).toContainText('この端末');
  await expect(devicesCard.getByRole('listitem').nth(1)).toContainText('iPhone');
  await axe(page);
  await devicesCard.getByRole('button', { name: 'ログアウトさせる' }).click();
  await expect(page.getByRole('status')).toHaveText('選択した端末をログアウトさせました。');
  await expect(devicesCard.getByRole('listitem')).toHaveCount(1);
  await expect(devicesCard.getByRole('button', { name: '他の端末をすべてログアウト' })).toHaveCount(0);

  await phone.reload();
  await expect(phone.getByRole('heading', { name: '職員ログイン' })).toBeVisible();
  await phoneContext.close();
});
