// Safari's engine: WebKitGTK's MiniBrowser driven over W3C WebDriver (Debian's
// webkit2gtk-driver, under xvfb-run) with selenium-webdriver. The portal, the mailbox and the
// roster helpers are the Chromium tests' own; only the browser differs.
import { spawn, ChildProcess } from 'node:child_process';
import { Builder, By, until, WebDriver, WebElement } from 'selenium-webdriver';
import { test as portalTest, expect, freePort, CAPTCHA_TEST_ANSWER } from '../fixtures';

const MINIBROWSER = process.env.WEBKIT_MINIBROWSER ?? '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';
const WAIT = 15_000;

/** A page in MiniBrowser, found the way a member reads it: by labels and visible words. */
export class Safari {
  constructor(readonly driver: WebDriver, readonly baseURL: string) {}

  async goto(url: string) {
    await this.driver.get(url.startsWith('http') ? url : `${this.baseURL}${url}`);
    // Every form of the portal is an island: typing before hydration would be lost.
    await this.driver.wait(until.elementLocated(By.css('html[data-hydrated="true"]')), WAIT, `hydrated: ${url}`);
  }

  /** The control named `label`: by its `<label for>` or its `aria-label` (the date pulldowns). */
  async field(label: string): Promise<WebElement> {
    const byFor = By.xpath(`//label[@for][normalize-space()='${label}']`);
    const byAria = By.xpath(`//*[(self::input or self::select or self::textarea) and @aria-label='${label}']`);
    const found = async () => [...(await this.driver.findElements(byAria)), ...(await this.driver.findElements(byFor))];
    await this.driver.wait(async () => (await found()).length > 0, WAIT, `control 「${label}」`);
    const [first] = await found();
    return (await first.getTagName()) === 'label' ? this.driver.findElement(By.id(await first.getAttribute('for'))) : first;
  }

  async fill(label: string, value: string) {
    const input = await this.field(label);
    await input.clear();
    await input.sendKeys(value);
  }

  async select(label: string, value: string) {
    await (await this.field(label)).findElement(By.css(`option[value="${value}"]`)).click();
  }

  /** Ticks the box whose label contains `text`. */
  async tick(text: string) {
    await this.driver.findElement(By.xpath(`//label[contains(normalize-space(), '${text}')]/input[@type='checkbox']`)).click();
  }

  async press(button: string) {
    const b = await this.driver.wait(until.elementLocated(By.xpath(`//button[normalize-space()='${button}']`)), WAIT, `button ${button}`);
    await this.driver.wait(until.elementIsEnabled(b), WAIT);
    await b.click();
  }

  /** Waits until the page's text contains `text`. */
  async see(text: string) {
    // Read in one script call: a page replaced by a form's redirect leaves no stale element behind.
    const shown = async () => {
      const body = await this.driver.executeScript<string>('return document.body ? document.body.innerText : ""').catch(() => '');
      return body.includes(text);
    };
    await this.driver.wait(shown, WAIT, `text 「${text}」 on ${await this.driver.getCurrentUrl()}`);
  }

  async text(css: string) {
    return (await this.driver.wait(until.elementLocated(By.css(css)), WAIT, css)).getText();
  }

  async path() {
    return new URL(await this.driver.getCurrentUrl()).pathname;
  }
}

/** The Chromium tests' fixtures (mailbox, portal on a fresh database), plus MiniBrowser. */
export const test = portalTest.extend<{ safari: Safari }, { webDriverURL: string }>({
  // No Chromium page here: WebKit's console is not reported over WebDriver.
  consoleErrors: [async ({}, use) => use([]), { auto: true }],

  /** One WebKitWebDriver on its own virtual display per worker. */
  webDriverURL: [async ({}, use, workerInfo) => {
    const port = await freePort();
    // A display number of this worker's own: two xvfb-run -a starting at once can pick the same one.
    const display = String(100 + workerInfo.parallelIndex * 10);
    const proc: ChildProcess = spawn('xvfb-run', ['-a', '-n', display, 'WebKitWebDriver', `--port=${port}`], { detached: true, stdio: 'ignore' });
    const url = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + 20_000;
    while (!(await fetch(`${url}/status`).then((r) => r.ok, () => false))) {
      if (Date.now() > deadline || proc.exitCode !== null) throw new Error('WebKitWebDriver did not start (scripts/setup.sh test installs webkit2gtk-driver and xvfb)');
      await new Promise((r) => setTimeout(r, 100));
    }
    await use(url);
    try { process.kill(-proc.pid!, 'SIGTERM'); } catch { /* already gone */ }
  }, { scope: 'worker' }],

  /** A fresh MiniBrowser per test (no cookies of another test), the size of an iPhone. */
  safari: async ({ webDriverURL, portal }, use) => {
    const driver = await new Builder()
      .usingServer(webDriverURL)
      .withCapabilities({ browserName: 'MiniBrowser', 'webkitgtk:browserOptions': { binary: MINIBROWSER, args: ['--automation'] } })
      .build();
    await driver.manage().window().setRect({ width: 390, height: 844 });
    try {
      await use(new Safari(driver, portal.baseURL));
    } finally {
      await driver.quit();
    }
  },
});

export { expect, By, until, CAPTCHA_TEST_ANSWER };
