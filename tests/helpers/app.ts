import { writeFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { expect } from 'vitest';
import { rendererDir } from '../../electron/core/app-root';
import { startWebHost, type WebHost } from '../../electron/host/web';
import { launchChromium } from './browser';
import type { TestCore } from './core';

export interface AppSession {
  host: WebHost;
  browser: Browser;
  page: Page;
  /** Page errors and console errors: an end-to-end test ends by expecting none. */
  errors: string[];
  close(): Promise<void>;
}

/** The renderer served by the web host over a test core, in Debian's Chromium at 1366×768. */
export async function openApp(core: TestCore): Promise<AppSession> {
  const host = await startWebHost(core.ctx, { rendererDir: rendererDir() });
  const browser = await launchChromium();
  // Reduced motion: dialogs close at once, so a loaded machine never finds a closing dialog in the way.
  const page = await browser.newPage({ viewport: { width: 1366, height: 768 }, acceptDownloads: true, reducedMotion: 'reduce' });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  return {
    host,
    browser,
    page,
    errors,
    close: async () => {
      await browser.close();
      await host.close();
    },
  };
}

/** Waits for an antd message with this text. */
export function toastOn(page: Page) {
  return (text: string | RegExp) =>
    expect.poll(() => page.locator('.ant-message').getByText(text).first().isVisible(), { timeout: 10_000 }).toBe(true);
}

/** The document shown in the print preview, rendered to a PDF file as Chromium prints it. */
export async function previewToPdf(app: AppSession, file: string, marker: string): Promise<void> {
  await expect.poll(() => app.page.frames().some((f) => f.url().startsWith('blob:'))).toBe(true);
  const frame = app.page.frames().find((f) => f.url().startsWith('blob:'))!;
  await expect.poll(() => frame.getByText(marker).first().isVisible()).toBe(true);
  const pdfPage = await app.browser.newPage();
  await pdfPage.setContent(await frame.content());
  writeFileSync(file, await pdfPage.pdf({ preferCSSPageSize: true }));
  await pdfPage.close();
}
