import { test, expect } from '../fixtures';

test('a mail sent through the real path arrives at the SMTP fixture', async ({ portal, mailbox }, testInfo) => {
  const to = `smtp-check-${testInfo.project.name}@example.test`;
  const result = await portal.cli('send-test-mail', to);
  expect(result.code, result.stderr).toBe(0);
  const mail = await mailbox.waitForMail(to, 'テストメール');
  expect(mail.text).toContain('メール送信は正しく設定されています');
});

test('a mail refused by the SMTP server is retried by the worker and arrives once', async ({ portal, mailbox }, testInfo) => {
  const to = `smtp-outage-${testInfo.project.name}@example.test`;
  mailbox.refuseNext = 1;
  const result = await portal.cli('send-test-mail', to);
  expect(result.code).not.toBe(0);
  expect(result.stderr).toContain('再送');
  const mail = await mailbox.waitForMail(to, 'テストメール', 40_000);
  expect(mail.text).toContain('テストメール');
  // Give the worker time to misbehave, then check it sent the mail only once.
  await new Promise((r) => setTimeout(r, 1500));
  expect(mailbox.find(to, 'テストメール')).toHaveLength(1);
});
