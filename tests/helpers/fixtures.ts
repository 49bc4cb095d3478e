import { readFileSync } from 'node:fs';
import { importRoster } from '../../electron/core/students/roster';
import { uploadFile } from '../../electron/core/uploads';
import { fixture, type TestCore } from './core';

/** The central school's roster, imported as a clerk would (684 students). */
export async function importCentralRoster(core: TestCore): Promise<void> {
  const name = 'roster-qingshan-central-school.xlsx';
  await importRoster(core.ctx, await uploadFile(core.ctx, name, readFileSync(fixture(name))), {});
}

export const upload = (name: string) => ({ fileName: name, dataBase64: readFileSync(fixture(name)).toString('base64') });
