// Helpers that read like the manual: a fresh member on the roster, the wizard's steps.
import AxeBuilder from '@axe-core/playwright';
import { Page, expect, test } from '@playwright/test';
import { createHmac } from 'node:crypto';
import { writeFileSync, mkdtempSync, appendFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CAPTCHA_TEST_ANSWER, Mailbox, Portal, waitHydrated } from './fixtures';

export type Member = { email: string; kigo: string; bango: string; year: string; month: string; day: string; name: string };

let counter = 0;

/** Adds a fictional member with a unique address and number to this portal's roster. */
export async function newMember(portal: Portal, tag: string, { withEmail = true, status = '在職' } = {}): Promise<Member> {
  counter += 1;
  const unique = `${Date.now() % 100000}${counter}${Math.floor(Math.random() * 1000)}`;
  const member: Member = {
    email: `${tag}-${unique}@corp.test`.toLowerCase(),
    kigo: '77',
    bango: String(Number(unique.slice(-5))),
    year: '1985', month: '4', day: '1',
    name: '試験 花子',
  };
  const dir = mkdtempSync(path.join(tmpdir(), 'roster-'));
  const file = path.join(dir, 'roster.csv');
  writeFileSync(file, `kigo,bango,birth_date,name,name_kana,email,status\n${member.kigo},${member.bango},${member.year}-0${member.month}-0${member.day},${member.name},,${withEmail ? member.email : ''},${status}\n`);
  const result = await portal.cli('import-roster', file);
  expect(result.code, result.stderr).toBe(0);
  return member;
}

/** The first URL in a mail that contains `path`. */
export function linkIn(text: string, pathPart: string): string {
  const match = text.match(new RegExp(`https?://\\S*${pathPart}\\S*`));
  if (!match) throw new Error(`no ${pathPart} link in:\n${text}`);
  return match[0];
}

/** The server-function URL a form posts to. */
export async function actionOf(page: Page, field: string) {
  const action = await page.locator(`form:has([name="${field}"])`).first().getAttribute('action');
  expect(action).toMatch(/^\/api\//);
  return action!;
}

export async function gotoReady(page: Page, url: string, js = true) {
  await page.goto(url);
  if (js) await waitHydrated(page);
}

/** Step 1: asks for the mail and checks the one answer everyone gets. */
export async function startRegistration(page: Page, email: string, js = true) {
  await gotoReady(page, '/register', js);
  await page.getByLabel('会社メールアドレス').fill(email);
  await page.getByRole('button', { name: '送信' }).click();
  await expect(page.getByText('入力されたメールアドレス宛にメールを送信しました。')).toBeVisible();
  await expect(page).toHaveURL(/\/register\/sent$/);
}

export async function fillIdentity(page: Page, m: Member, overrides: Partial<Member> & { captcha?: string } = {}) {
  const v = { ...m, ...overrides };
  await page.getByLabel('メールアドレス', { exact: true }).fill(v.email);
  await page.getByLabel('記号').fill(v.kigo);
  await page.getByLabel('番号').fill(v.bango);
  await page.getByLabel('年', { exact: true }).selectOption(v.year);
  await page.getByLabel('月', { exact: true }).selectOption(v.month);
  await page.getByLabel('日', { exact: true }).selectOption(v.day);
  await page.getByLabel('認証文字').fill(overrides.captcha ?? CAPTCHA_TEST_ANSWER);
  await page.getByRole('button', { name: '確認', exact: true }).click();
}

/** The inquiry form's fields of a 紙通知を紛失した inquiry (鈴木 一郎, 34-20), all but the 認証文字. */
export async function fillInquiry(page: Page, contact: string, body: string, kigo = '34') {
  await page.getByLabel('種別').selectOption({ label: '紙通知を紛失した' });
  await page.getByLabel('氏名').fill('鈴木 一郎');
  await page.getByLabel('記号').fill(kigo);
  await page.getByLabel('番号', { exact: true }).fill('20');
  await page.getByLabel('年', { exact: true }).selectOption('1960');
  await page.getByLabel('月', { exact: true }).selectOption('2');
  await page.getByLabel('日', { exact: true }).selectOption('3');
  await page.getByLabel('連絡先メールアドレス').fill(contact);
  await page.getByLabel('電話番号').fill('03-1234-5678');
  await page.getByLabel('内容').fill(body);
}

/** Steps 1–3: returns the 認証キー shown and the M2 link. */
export async function passIdentity(page: Page, mailbox: Mailbox, m: Member, js = true) {
  // This registration's mails, not those of an earlier one (a member who left and comes back).
  const [m1Seen, m2Seen] = ['利用登録手続きのご案内', '本人確認完了のご案内'].map((s) => mailbox.find(m.email, s).length);
  await startRegistration(page, m.email, js);
  const m1 = await mailbox.waitForMail(m.email, '利用登録手続きのご案内', undefined, m1Seen);
  await gotoReady(page, linkIn(m1.text, '/register/verify/'), js);
  await fillIdentity(page, m);
  const key = (await page.getByTestId('identity-key').textContent())!.trim();
  expect(key).toMatch(/^\d{4}$/);
  const m2 = await mailbox.waitForMail(m.email, '本人確認完了のご案内', undefined, m2Seen);
  return { key, m1Link: linkIn(m1.text, '/register/verify/'), m2Link: linkIn(m2.text, '/register/confirm/') };
}

export const GOOD_PASSWORD = 'Blue7#Harbor-Quilt';

/** Step 5's fields: login ID, password twice, and the box of 利用規約 and 個人情報の取扱い. */
export async function fillAccount(page: Page, loginId: string, { agree = true } = {}) {
  await page.getByLabel('ログインID').fill(loginId);
  await page.getByLabel('パスワード', { exact: true }).fill(GOOD_PASSWORD);
  await page.getByLabel('パスワード（確認）').fill(GOOD_PASSWORD);
  if (agree) await page.getByLabel('利用規約と個人情報の取扱いに同意します').check();
}

/** Steps 4–5: the key from the M2 link, then login ID and password; returns the login ID. */
export async function confirmKeyAndFinish(page: Page, m2Link: string, key: string, loginId = `m.${Date.now()}${Math.floor(Math.random() * 1000)}`) {
  await gotoReady(page, m2Link);
  await page.getByLabel('認証キー').fill(key);
  await page.getByRole('button', { name: '認証' }).click();
  await fillAccount(page, loginId);
  await page.getByRole('button', { name: '登録' }).click();
  await expect(page.getByText('利用登録が完了しました。')).toBeVisible();
  return loginId;
}

/** Steps 1–5 in one browser; returns the login ID. */
export async function registerMember(page: Page, mailbox: Mailbox, m: Member, loginId?: string) {
  const { key, m2Link } = await passIdentity(page, mailbox, m);
  return confirmKeyAndFinish(page, m2Link, key, loginId);
}

/** Logs in from the login page and waits for ホーム (or wherever the portal sends the member). */
export async function login(page: Page, loginId: string, password = GOOD_PASSWORD, js = true) {
  await gotoReady(page, '/', js);
  await page.getByLabel('ログインID').fill(loginId);
  await page.getByLabel('パスワード').fill(password);
  await page.getByRole('button', { name: 'ログイン', exact: true }).click();
}

/** A registered member, logged in on ホーム. */
export async function loggedInMember(page: Page, portal: Portal, mailbox: Mailbox, tag: string) {
  const m = await newMember(portal, tag);
  const loginId = await registerMember(page, mailbox, m);
  await login(page, loginId);
  await expect(page.getByRole('heading', { name: `${m.name}さん` })).toBeVisible();
  return { ...m, loginId };
}

// ---------------------------------------------------------------- 職員画面

export const STAFF_PASSWORD = 'Kenpo#Staff-2026q';

/** The 6-digit code of a base32 secret for a unix time (SHA-1, 30 s). */
export function totp(secret: string, at = Date.now() / 1000): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of secret.replace(/\s+|=+$/g, '')) bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  const key = Buffer.from(bits.match(/.{8}/g)!.map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(at / 30)));
  const mac = createHmac('sha1', key).update(counter).digest();
  const offset = mac[mac.length - 1] & 0xf;
  return String((mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}

/** Where each check is logged for the accessibility statement (`axe-report.ts`, `/accessibility`). */
export const AXE_LOG_DIR = path.join(__dirname, 'test-results', 'axe-log');

/** No serious or critical accessibility violation on the page as it is now. */
export async function axe(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  mkdirSync(AXE_LOG_DIR, { recursive: true });
  const entry = {
    path: new URL(page.url()).pathname,
    project: test.info().project.name,
    title: await page.title(),
    violations: results.violations.length,
    serious: serious.length,
    axe: results.testEngine.version,
  };
  appendFileSync(path.join(AXE_LOG_DIR, `${process.pid}.jsonl`), JSON.stringify(entry) + '\n');
  expect(serious.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target).join(', ')})`), page.url()).toEqual([]);
}

let staffCounter = 0;

/** `server staff add`, then the setup link in the browser; returns the login ID and secret. */
export async function enrolStaff(page: Page, portal: Portal, role: 'admin' | 'agent', name: string, check = false) {
  staffCounter += 1;
  const email = `${role}-${Date.now()}-${staffCounter}@kenpo.test`;
  const added = await portal.cli('staff', 'add', '--name', name, '--email', email, '--role', role);
  expect(added.code, added.stderr).toBe(0);
  const link = added.stdout.match(/https?:\/\/\S+\/staff\/setup\/[0-9a-f]+/)![0];
  await page.goto(link);
  await waitHydrated(page);
  await expect(page.getByRole('heading', { name: '職員アカウント設定' })).toBeVisible();
  await expect(page.getByRole('img', { name: '認証アプリ登録用のQRコード' })).toBeVisible();
  if (check) await axe(page);
  const secret = (await page.getByTestId('totp-secret').textContent())!.trim();
  await page.getByLabel('パスワード', { exact: true }).fill(STAFF_PASSWORD);
  await page.getByLabel('パスワード（確認）').fill(STAFF_PASSWORD);
  await page.getByLabel('確認コード').fill('000000');
  await page.getByRole('button', { name: '設定する' }).click();
  await expect(page.locator('#code-error')).toContainText('確認コードが正しくありません');
  await page.getByLabel('確認コード').fill(totp(secret));
  await page.getByRole('button', { name: '設定する' }).click();
  await expect(page.getByRole('heading', { name: '設定が完了しました' })).toBeVisible();
  await expect(page.getByTestId('backup-codes').locator('li')).toHaveCount(10);
  const backupCodes = (await page.getByTestId('backup-codes').locator('li').allTextContents()).map((c) => c.trim());
  return { email, secret, backupCodes };
}

/** The staff login with the code of the next 30-second step (the setup used this one), or with
 * `code` (a backup code: a second login within the same step needs one). */
export async function staffLogin(page: Page, email: string, secret: string, code?: string) {
  await page.goto('/staff/login');
  await waitHydrated(page);
  await page.getByLabel('ログインID（メールアドレス）').fill(email);
  await page.getByLabel('パスワード').fill(STAFF_PASSWORD);
  await page.getByLabel('確認コード').fill(code ?? totp(secret, Date.now() / 1000 + 30));
  await page.getByRole('button', { name: 'ログイン', exact: true }).click();
  await expect(page.getByRole('heading', { name: '職員ホーム' })).toBeVisible();
}

/** A 管理者 opens 承認待ち, checks the request of `reason`, approves it with `note` (axe on both pages). */
export async function approveRequest(admin: Page, reason: string, note: string) {
  await admin.getByRole('link', { name: '承認待ち' }).first().click();
  await expect(admin.getByRole('heading', { name: '承認待ちの依頼' })).toBeVisible();
  await axe(admin);
  await admin.getByRole('row').filter({ hasText: reason }).getByRole('link', { name: '確認する' }).click();
  await expect(admin.getByRole('heading', { name: '依頼の確認' })).toBeVisible();
  await expect(admin.getByTestId('approval')).toContainText(reason);
  await waitHydrated(admin);
  await axe(admin);
  await admin.getByLabel('承認して実行する').check();
  await admin.getByLabel('理由').fill(note);
  await admin.getByRole('button', { name: '確定する' }).click();
}
