/** docs/用户手册.md shows the app as it is: every picture it names was made by electron/scripts/guide-screenshots.ts. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appRoot } from '../../electron/core/app-root';

const docs = join(appRoot(), 'docs');
const guide = readFileSync(join(docs, '用户手册.md'), 'utf8');
const script = readFileSync(join(appRoot(), 'electron', 'scripts', 'guide-screenshots.ts'), 'utf8');

describe('the user guide', () => {
  it('names only pictures that exist, each one made by the screenshot script', () => {
    const pictures = [...guide.matchAll(/!\[[^\]]*\]\((images\/[^)]+\.png)\)/g)].map((m) => m[1]!);
    expect(pictures.length).toBeGreaterThanOrEqual(12);
    for (const p of pictures) {
      expect(existsSync(join(docs, p)), p).toBe(true);
      const name = p.replace(/^images\//, '').replace(/\.png$/, '');
      expect(script, `${name} 不是截图脚本生成的`).toContain(`'${name}'`);
    }
  });

  it('names buttons and pages the app has', () => {
    const renderer = ['App.tsx', 'features/board/BoardPage.tsx', 'features/settings/SettingsPage.tsx', 'features/settings/BackupCard.tsx']
      .map((f) => readFileSync(join(appRoot(), 'renderer', 'src', f), 'utf8'))
      .join('\n');
    for (const label of [
      '本学期工作台',
      '清除演示数据，开始正式使用',
      '其他文件夹（U 盘、移动硬盘）',
      '使用这个文件夹',
      '立即备份',
      '修改日期',
    ])
      expect(renderer, label).toContain(label);
  });
});
