import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MAX_UPLOAD_BYTES } from '../../../shared/api/common';
import { PREVIEW_LISTED } from '../../../electron/core/students/roster-plan';
import { demoRoster } from '../../../electron/core/school/demo';
import { fixture, testCore, type TestCore } from '../../helpers/core';

let core: TestCore;
beforeEach(async () => {
  core = await testCore();
});
afterEach(async () => {
  await core.close();
});

/** A file sent as the renderer sends a large one: in parts, in order, each part base64. */
async function sendInParts(data: Buffer, fileName: string, partBytes: number): Promise<string> {
  let uploadId: string | undefined;
  for (let offset = 0; offset < data.length; offset += partBytes) {
    const r = await core.client.invoke('uploads.part', {
      uploadId,
      fileName,
      size: data.length,
      offset,
      dataBase64: data.subarray(offset, offset + partBytes).toString('base64'),
    });
    expect(r.complete).toBe(offset + partBytes >= data.length);
    uploadId = r.uploadId;
  }
  return uploadId!;
}

describe('a file sent in parts (too large for one message: a county roster)', () => {
  it('previews and imports exactly as the same file sent whole', async () => {
    const data = readFileSync(fixture('roster-qingshan-central-school.xlsx'));
    const whole = await core.client.invoke('roster.preview', { upload: { fileName: '名册.xlsx', dataBase64: data.toString('base64') } });
    const uploadId = await sendInParts(data, '名册.xlsx', 7_000);
    const parts = await core.client.invoke('roster.preview', { upload: { uploadId } });
    expect(parts.uploadId).toBe(uploadId);
    expect({ ...parts, uploadId: '' }).toEqual({ ...whole, uploadId: '' });
    const done = await core.client.invoke('roster.import', { uploadId, mapping: parts.mapping });
    expect(done.imported).toBe(684);
  });

  it('refuses parts out of order, a file over the limit and an unknown upload, with the file named', async () => {
    const data = readFileSync(fixture('roster-qingshan-central-school.csv'));
    const part = (uploadId: string | undefined, offset: number, size = data.length) =>
      core.client.invoke('uploads.part', {
        uploadId,
        fileName: '名册.csv',
        size,
        offset,
        dataBase64: data.subarray(offset, offset + 10_000).toString('base64'),
      });
    const first = await part(undefined, 0);
    expect(first).toEqual({ uploadId: first.uploadId, received: 10_000, complete: false });
    await expect(part(first.uploadId, 20_000)).rejects.toThrow('“名册.csv”没有完整传到（各部分的顺序或大小不对），请重新选择文件');
    // Given up after a broken part: the upload is gone.
    await expect(part(first.uploadId, 10_000)).rejects.toThrow('上传的文件已过期，请重新选择文件');
    await expect(part(undefined, 0, MAX_UPLOAD_BYTES * 1.5)).rejects.toThrow('“名册.csv”有 150.0 MB，超过 100 MB 的上限，没有读取');
    await expect(part(undefined, 10_000)).rejects.toThrow('文件的第一部分应从头开始');
    await expect(core.client.invoke('roster.preview', { upload: { uploadId: first.uploadId } })).rejects.toThrow('上传的文件已过期');
  });

  it('says what is wrong with the file itself when its last part arrives', async () => {
    const data = Buffer.from(readFileSync(fixture('roster-qingshan-central-school.xlsx')).subarray(0, 30_000));
    await expect(sendInParts(data, '名册.xlsx', 10_000)).rejects.toThrow('“名册.xlsx”已损坏');
  });
});

describe('the preview of a county-sized roster', () => {
  it('counts every row and lists the first of each kind, and the import still takes them all', async () => {
    const rows = demoRoster(PREVIEW_LISTED + 1_500, 2026, 5, 45);
    // Two rows refused (an ID number cut short), so the rejected kind is listed too.
    rows[10]![5] = '43312520';
    rows[20]![5] = '43312521';
    const csv = Buffer.from(rows.map((r) => r.map((c) => (c === null || c === undefined ? '' : String(c))).join(',')).join('\n'));
    const uploadId = await sendInParts(csv, '全镇名册.csv', 400_000);
    const preview = await core.client.invoke('roster.preview', { upload: { uploadId } });
    expect(preview.counts).toMatchObject({ add: PREVIEW_LISTED + 1_498, rejected: 2 });
    expect(preview.listedPerKind).toBe(PREVIEW_LISTED);
    expect(preview.rows.filter((r) => r.action === 'add')).toHaveLength(PREVIEW_LISTED);
    expect(preview.rows.filter((r) => r.action === 'rejected').map((r) => r.row)).toEqual([11, 21]);
    const done = await core.client.invoke('roster.import', { uploadId, mapping: preview.mapping });
    expect(done.imported).toBe(PREVIEW_LISTED + 1_498);
  });
});
