import { ESLint } from 'eslint';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const FIXTURES = join(ROOT, 'tests', 'lint-fixtures');

/** The rules that keep the core in one shape are enforced by the linter: each is shown failing on a sample. */
async function ruleIds(file: string): Promise<string[]> {
  const eslint = new ESLint({ cwd: ROOT, ignore: false });
  const [result] = await eslint.lintFiles([file]);
  return result!.messages.map((m) => m.ruleId ?? m.message);
}

describe('lint rules', () => {
  it('refuse an import cycle', async () => {
    expect(await ruleIds(join(FIXTURES, 'cycle-a.ts'))).toContain('import-x/no-cycle');
  });

  it('refuse a handler importing another handler', async () => {
    expect(await ruleIds(join(FIXTURES, 'handlers', 'door.ts'))).toContain('no-restricted-imports');
  });

  it('accept a handler that only calls its area (the real tree lints clean)', async () => {
    expect(await ruleIds(join(ROOT, 'electron', 'core', 'handlers', 'programmes.ts'))).toEqual([]);
  });
});
