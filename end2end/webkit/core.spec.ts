// The core flows in Safari's engine (WebKitGTK): registration 1–5 (the 認証文字 by its
// non-visual alternative: the proof runs in WebKit's wasm), login, プロフィール設定,
// パスワード変更, logout, and the forgot flow.
import { test, expect, Safari, CAPTCHA_TEST_ANSWER } from './safari';
import { linkIn, newMember, GOOD_PASSWORD, Member } from '../helpers';
import type { Mailbox } from '../fixtures';

const NEW_PASSWORD = 'Quiet9!River-Maple';

/** Steps 1–5 in MiniBrowser; the 認証文字 typed or by its non-visual alternative. Returns the login ID. */
async function register(safari: Safari, mailbox: Mailbox, m: Member, alternative: boolean) {
  await safari.goto('/register');
  await safari.fill('会社メールアドレス', m.email);
  await safari.press('送信');
  await safari.see('入力されたメールアドレス宛にメールを送信しました。');

  const m1 = await mailbox.waitForMail(m.email, '利用登録手続きのご案内');
  await safari.goto(linkIn(m1.text, '/register/verify/'));
  await safari.fill('メールアドレス', m.email);
  await safari.fill('記号', m.kigo);
  await safari.fill('番号', m.bango);
  await safari.select('年', m.year);
  await safari.select('月', m.month);
  await safari.select('日', m.day);
  if (alternative) {
    await safari.press('画像の文字が読めない方：文字を入力せずに確認する');
    await safari.see('確認が完了しました。');
  } else {
    await safari.fill('認証文字', CAPTCHA_TEST_ANSWER);
  }
  await safari.press('確認');
  const key = (await safari.text('[data-testid="identity-key"]')).trim();
  expect(key).toMatch(/^\d{4}$/);

  const m2 = await mailbox.waitForMail(m.email, '本人確認完了のご案内');
  await safari.goto(linkIn(m2.text, '/register/confirm/'));
  await safari.fill('認証キー', key);
  await safari.press('認証');
  await safari.see('ログインID・パスワードの設定');
  const loginId = `safari.${Date.now()}${Math.floor(Math.random() * 1000)}`;
  await safari.fill('ログインID', loginId);
  await safari.fill('パスワード', GOOD_PASSWORD);
  await safari.fill('パスワード（確認）', GOOD_PASSWORD);
  await safari.tick('利用規約と個人情報の取扱いに同意します');
  await safari.press('登録');
  await safari.see('利用登録が完了しました。');
  await mailbox.waitForMail(m.email, '利用登録完了のご案内');
  return loginId;
}

async function logIn(safari: Safari, loginId: string, password: string, name: string) {
  await safari.goto('/');
  await safari.fill('ログインID', loginId);
  await safari.fill('パスワード', password);
  await safari.press('ログイン');
  await safari.see(`${name}さん`);
}

test('registration 1–5, login, profile and password change', async ({ safari, portal, mailbox }) => {
  const m = await newMember(portal, 'webkit');
  const loginId = await register(safari, mailbox, m, true);
  await logIn(safari, loginId, GOOD_PASSWORD, m.name);

  await safari.goto('/profile');
  await safari.fill('ニックネーム', 'さふぁり');
  await safari.press('登録');
  await safari.see('プロフィールを登録しました。');
  await safari.goto('/profile');
  expect(await (await safari.field('ニックネーム')).getAttribute('value')).toBe('さふぁり');

  await safari.goto('/password');
  await safari.fill('変更前パスワード', GOOD_PASSWORD);
  await safari.fill('変更後パスワード', NEW_PASSWORD);
  await safari.fill('パスワード確認', NEW_PASSWORD);
  await safari.press('登録');
  await safari.see('パスワードを変更しました。');
  await mailbox.waitForMail(m.email, 'パスワード変更のお知らせ');

  await safari.press('ログアウト');
  await safari.see('ログインID');
  expect(await safari.path()).toBe('/');
  await logIn(safari, loginId, NEW_PASSWORD, m.name);
});

test('forgot: the mail, a new password, and login with it', async ({ safari, portal, mailbox }) => {
  const m = await newMember(portal, 'webkitforgot');
  const loginId = await register(safari, mailbox, m, false);
  await safari.goto('/forgot');
  await safari.fill('登録のメールアドレス', m.email);
  await safari.press('送信');
  await safari.see('入力されたメールアドレス宛にメールを送信しました。');
  const mail = await mailbox.waitForMail(m.email, 'ログインID・パスワード再設定のご案内');
  expect(mail.text).toContain(loginId);
  await safari.goto(linkIn(mail.text, '/forgot/reset/'));
  await safari.fill('新しいパスワード', NEW_PASSWORD);
  await safari.fill('パスワード確認', NEW_PASSWORD);
  await safari.press('登録');
  await safari.see('パスワードを再設定しました。');
  await logIn(safari, loginId, NEW_PASSWORD, m.name);
});
