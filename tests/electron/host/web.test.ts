import { mkdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebHost, type WebHost } from '../../../electron/host/web';
import { testCore, type TestCore } from '../../helpers/core';

let core: TestCore;
let host: WebHost;
beforeAll(async () => {
  core = await testCore();
  const renderer = join(core.dir, 'renderer');
  mkdirSync(renderer);
  writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>t</title>');
  writeFileSync(join(core.dir, 'secret.txt'), 'secret');
  host = await startWebHost(core.ctx, { rendererDir: renderer });
});
afterAll(async () => {
  await host.close();
  await core.close();
});

/** Raw HTTP, so the test can set any Host header a hostile page could cause. */
function send(path: string, opts: { method?: string; headers?: Record<string, string>; body?: string } = {}) {
  return new Promise<{ status: number; headers: Record<string, unknown>; body: string }>((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: host.port,
        path,
        method: opts.method ?? 'GET',
        headers: { host: `127.0.0.1:${host.port}`, ...opts.headers },
      },
      (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(opts.body);
  });
}
const api = (name: string, args: unknown, headers: Record<string, string> = {}) =>
  send(`/api/${name}`, {
    method: 'POST',
    body: JSON.stringify(args),
    headers: { 'content-type': 'application/json', 'x-aid-desk-token': host.token, ...headers },
  });

describe('web host', () => {
  it('binds 127.0.0.1 on a random port and hands out the token in the fragment only', () => {
    expect(host.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=[0-9a-f]{48}$/);
  });

  it('answers contract calls with the token', async () => {
    const res = await api('school.get', {});
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({ ok: true, value: { name: '青山县青山镇中心学校' } });
  });

  it('refuses calls without the right token', async () => {
    expect((await api('school.get', {}, { 'x-aid-desk-token': 'nope' })).status).toBe(401);
    const res = await send('/api/school.get', { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(401);
    expect(JSON.parse(res.body).error.message).toContain('令牌');
  });

  it('refuses other Host names (DNS rebinding) and other origins', async () => {
    expect((await api('school.get', {}, { host: `evil.example:${host.port}` })).status).toBe(403);
    expect((await api('school.get', {}, { origin: 'http://evil.example' })).status).toBe(403);
    expect((await api('school.get', {}, { origin: `http://127.0.0.1:${host.port}` })).status).toBe(200);
  });

  it('validates arguments against the contract and reports errors as data', async () => {
    const bad = JSON.parse((await api('students.get', { id: 'x' })).body);
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid-args' } });
    const unknown = JSON.parse((await api('students.drop', {})).body);
    expect(unknown).toMatchObject({ ok: false, error: { code: 'unknown-message' } });
    const notJson = await send('/api/school.get', {
      method: 'POST',
      body: '{',
      headers: { 'content-type': 'application/json', 'x-aid-desk-token': host.token },
    });
    expect(notJson.status).toBe(400);
  });

  it('serves the renderer with a strict CSP and never a file outside it', async () => {
    const page = await send('/');
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toContain("default-src 'none'");
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect((await send('/../secret.txt')).body).not.toContain('secret');
    expect((await send('/%2e%2e/secret.txt')).body).not.toContain('secret');
  });

  it('answers a malformed %-escape with 400, on a page and on the API, never a 500', async () => {
    const page = await send('/%E0%A4%A');
    expect(page.status).toBe(400);
    expect(JSON.parse(page.body)).toMatchObject({ ok: false, error: { code: 'bad-path', message: '地址不正确' } });
    expect((await api('school.get%ZZ', {})).status).toBe(400);
  });
});
