import { defineConfig } from '@playwright/test';

// Debian's Chromium (Playwright's own browser download is not available here).
const launchOptions = {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--no-first-run', '--disable-quic',
  ],
};

export default defineConfig<{}, { topology: boolean }>({
  testDir: './tests',
  fullyParallel: true,
  workers: 2,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list']],
  use: {
    browserName: 'chromium',
    launchOptions,
    locale: 'ja-JP',
    timezoneId: 'Asia/Tokyo',
    trace: 'retain-on-failure',
  },
  // The production topology's fault tests run only in the project "production".
  testIgnore: /production\.spec\.ts/,
  // The accessibility statement's figures: every axe check of this run (AXE_REPORT=1, scripts/test.sh).
  globalTeardown: './axe-report.ts',
  projects: [
    { name: 'desktop', use: { viewport: { width: 1280, height: 800 } } },
    {
      // The narrowest phone the spec promises (360 px), with touch.
      name: 'phone',
      use: {
        viewport: { width: 360, height: 740 },
        deviceScaleFactor: 3,
        isMobile: true,
        hasTouch: true,
        userAgent: 'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36',
      },
    },
    {
      // Safari's engine: the core flows in WebKitGTK's MiniBrowser over WebDriver (webkit/safari.ts).
      name: 'webkit',
      testDir: './webkit',
      testIgnore: [],
    },
    {
      // The core flows again, through deploy/nginx.conf (TLS, HTTP/2) to two instances on one
      // PostgreSQL database, and the fault tests (end2end/topology.ts, deploy/README.md).
      name: 'production',
      testIgnore: [],
      testMatch: /(registration|login|settings|recovery|production)\.spec\.ts/,
      use: {
        topology: true,
        viewport: { width: 1280, height: 800 },
        ignoreHTTPSErrors: true,
        launchOptions: { ...launchOptions, args: [...launchOptions.args, '--ignore-certificate-errors'] },
      },
    },
  ],
});
