/**
 * Ready to install: electron-builder's configuration is valid by electron-builder's own schema, every path it
 * names exists, the icons are the ones resources/icon.svg makes, and the packaged entry points resolve.
 * (The installers themselves cannot be built here: the Electron binary cannot be downloaded on this machine.)
 */
import { Resvg } from '@resvg/resvg-js';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appRoot } from '../../electron/core/app-root';

const root = appRoot();
const at = (...p: string[]) => join(root, ...p);
const config = JSON.parse(readFileSync(at('electron-builder.json'), 'utf8')) as {
  directories: { buildResources: string };
  files: string[];
  win: { target: { target: string; arch: string[] }[]; icon: string; requestedExecutionLevel: string };
  nsis: Record<string, unknown> & { license: string; installerIcon: string; uninstallerIcon: string };
  linux: { target: string[]; icon: string };
};
const pkg = JSON.parse(readFileSync(at('package.json'), 'utf8')) as { main: string };

describe('packaging', () => {
  it('is a configuration electron-builder itself accepts', async () => {
    const require = createRequire(import.meta.url);
    const { validateConfiguration } = require('app-builder-lib/out/util/config/config.js') as {
      validateConfiguration(c: unknown, log: { add(): void; isEnabled: boolean }): Promise<void>;
    };
    const log = { add: () => {}, isEnabled: false };
    await expect(validateConfiguration(config, log)).resolves.toBeUndefined();
    // The check can fail: an unknown option is refused.
    await expect(validateConfiguration({ ...config, nsis: { ...config.nsis, perUser: true } }, log)).rejects.toThrow();
  });

  it('installs per user without administrator rights, in Chinese, with shortcuts named 资助工作台, plus a portable build and an AppImage', () => {
    expect(config.win.target).toEqual([
      { target: 'nsis', arch: ['x64'] },
      { target: 'portable', arch: ['x64'] },
    ]);
    expect(config.win.requestedExecutionLevel).toBe('asInvoker');
    expect(config.nsis).toMatchObject({
      oneClick: false,
      perMachine: false,
      allowElevation: false,
      installerLanguages: ['zh_CN'],
      createDesktopShortcut: 'always',
      createStartMenuShortcut: true,
      shortcutName: '资助工作台',
      deleteAppDataOnUninstall: false,
    });
    expect(config.linux.target).toEqual(['AppImage']);
  });

  it('names only paths that exist', () => {
    for (const file of [config.win.icon, config.nsis.license, config.nsis.installerIcon, config.nsis.uninstallerIcon])
      expect(existsSync(at(file)), file).toBe(true);
    expect(statSync(at(config.directories.buildResources)).isDirectory()).toBe(true);
    const pngs = readdirSync(at(config.linux.icon));
    expect(pngs).toEqual(expect.arrayContaining(['256x256.png', '512x512.png']));
    expect(readFileSync(at(config.nsis.license), 'utf8')).toContain('不需要管理员权限');
  });

  it('has the icons resources/icon.svg makes (run electron/scripts/make-icons.mjs after changing it)', () => {
    const svg = readFileSync(at('resources', 'icon.svg'));
    for (const n of [16, 256, 512]) {
      const made = new Resvg(svg, { fitTo: { mode: 'width', value: n } }).render().asPng();
      expect(Buffer.compare(made, readFileSync(at('resources', 'icons', 'png', `${n}x${n}.png`))), `${n}x${n}.png`).toBe(0);
    }
    // The .ico: an icon directory (type 1) of 7 images, the largest 256 px (written as 0).
    const ico = readFileSync(at(config.win.icon));
    expect([ico.readUInt16LE(0), ico.readUInt16LE(2), ico.readUInt16LE(4)]).toEqual([0, 1, 7]);
    const widths = Array.from({ length: 7 }, (_, i) => ico[6 + i * 16]);
    expect(widths).toEqual([16, 24, 32, 48, 64, 128, 0]);
  });

  it('packs entry points that resolve: main, its preload and core, the renderer', () => {
    // `npm test` builds first; the bundles are what electron-builder packs (files: dist/**/*).
    expect(config.files).toContain('dist/**/*');
    const main = at(pkg.main);
    expect(existsSync(main), `${pkg.main}（先运行 npm run build）`).toBe(true);
    const bundle = readFileSync(main, 'utf8');
    for (const sibling of ['preload.cjs', 'core.cjs']) {
      expect(bundle).toContain(sibling);
      expect(existsSync(join(main, '..', sibling)), sibling).toBe(true);
    }
    expect(existsSync(at('dist', 'renderer', 'index.html'))).toBe(true);
  });
});
