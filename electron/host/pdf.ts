/**
 * PDFs for the command line: the same HTML the app prints, rendered by a Chromium-family browser in
 * headless mode (the desktop app uses Electron's own printToPDF). Nothing is downloaded.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { AppError } from '../../shared/errors';

const CANDIDATES = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/microsoft-edge',
  'C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe',
  'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
];

export function findBrowser(): string | null {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv && existsSync(fromEnv)) return fromEnv;
  return CANDIDATES.find((c) => existsSync(c)) ?? null;
}

export async function htmlToPdf(html: string, out: string): Promise<void> {
  const browser = findBrowser();
  if (!browser) {
    throw new AppError(
      'pdf-no-browser',
      '这台电脑上找不到 Chromium、Chrome 或 Edge 浏览器，命令行无法生成 PDF。请改用 .xlsx，或在程序界面中打印（可选“另存为 PDF”），或用环境变量 CHROMIUM_PATH 指定浏览器。',
    );
  }
  sweepPrintLeftovers();
  const dir = mkdtempSync(join(tmpdir(), `${PRINT_PREFIX}${process.pid}-`));
  try {
    const page = join(dir, 'roster.html');
    writeFileSync(page, html);
    await promisify(execFile)(
      browser,
      [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-pdf-header-footer',
        // An untagged PDF, as Electron's printToPDF makes: the tags (for screen readers) cost about 2 of the
        // 5.7 s of a 1,000-student roster here, and the pages are pixel for pixel the same without them.
        '--disable-pdf-tagging',
        `--user-data-dir=${join(dir, 'profile')}`,
        `--print-to-pdf=${out}`,
        pathToFileURL(page).toString(),
      ],
      { timeout: 120_000 },
    );
    if (!existsSync(out)) throw new AppError('pdf-failed', `浏览器没有生成 PDF 文件“${out}”`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const PRINT_PREFIX = 'aid-desk-pdf-';

/**
 * The page rendered to PDF is a file (a full-number roster holds ID and card numbers): removed when the
 * render ends, and — when the process was killed mid-render — by the next render, which clears the folders
 * of processes that are gone.
 */
export function sweepPrintLeftovers(root = tmpdir()): string[] {
  const removed: string[] = [];
  for (const name of readdirSync(root)) {
    const pid = Number(new RegExp(`^${PRINT_PREFIX}(\\d+)-`).exec(name)?.[1]);
    if (!pid || pid === process.pid) continue;
    try {
      process.kill(pid, 0);
      continue; // still rendering
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EPERM') continue;
    }
    rmSync(join(root, name), { recursive: true, force: true });
    removed.push(name);
  }
  return removed;
}
