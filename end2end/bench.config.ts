import { defineConfig } from '@playwright/test';
import base from './playwright.config';

// `make bench`: the registration wizard timed in headless Chromium (desktop only, one worker).
export default defineConfig({
  ...base,
  testDir: './bench',
  testMatch: '*.bench.ts',
  workers: 1,
  timeout: 600_000,
  projects: [base.projects![0]],
});
