/**
 * The local web host: the renderer and the API contract over HTTP, for browser mode and end-to-end tests.
 * Binds 127.0.0.1 only, on a random port unless told; every API call carries a per-run random token; the
 * Host and Origin headers must name this host (against DNS rebinding and other sites' pages).
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import type { CoreContext } from '../core/context';
import { dispatch } from '../core/dispatch';
import { CONTENT_SECURITY_POLICY, contentType } from '../core/security';

/** Imports carry a spreadsheet as base64: allow a generous 60 MB body, no more. */
const MAX_BODY = 60 * 1024 * 1024;

export interface WebHost {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

export interface WebHostOptions {
  port?: number;
  rendererDir: string;
  token?: string;
}

export async function startWebHost(ctx: CoreContext, options: WebHostOptions): Promise<WebHost> {
  const token = options.token ?? randomBytes(24).toString('hex');
  const tokenBytes = Buffer.from(token);
  let port = 0;
  const allowedHosts = () => [`127.0.0.1:${port}`, `localhost:${port}`];

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      console.error('[aid-desk] web host error:', e instanceof Error ? e.message : e);
      if (!res.headersSent) sendJson(res, 500, { ok: false, error: { code: 'internal', message: '程序内部错误' } });
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    if (!allowedHosts().includes(req.headers.host ?? '')) {
      return sendJson(res, 403, { ok: false, error: { code: 'forbidden-host', message: '拒绝访问：只接受本机地址' } });
    }
    const origin = req.headers.origin;
    if (origin !== undefined && !allowedHosts().some((h) => origin === `http://${h}`)) {
      return sendJson(res, 403, { ok: false, error: { code: 'forbidden-origin', message: '拒绝访问：来源网页不是本程序' } });
    }
    const url = new URL(req.url ?? '/', `http://${req.headers.host}`);
    let pathname: string;
    try {
      pathname = decodeURIComponent(url.pathname);
    } catch {
      // A malformed %-escape is the client's mistake, not the program's.
      return sendJson(res, 400, { ok: false, error: { code: 'bad-path', message: '地址不正确' } });
    }
    if (pathname.startsWith('/api/')) return handleApi(req, res, pathname.slice(5));
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return sendJson(res, 405, { ok: false, error: { code: 'method', message: '不支持的请求方式' } });
    }
    return serveStatic(res, pathname);
  }

  async function handleApi(req: IncomingMessage, res: ServerResponse, name: string): Promise<void> {
    if (req.method !== 'POST') return sendJson(res, 405, { ok: false, error: { code: 'method', message: '接口只接受 POST 请求' } });
    const given = Buffer.from(String(req.headers['x-aid-desk-token'] ?? ''));
    if (given.length !== tokenBytes.length || !timingSafeEqual(given, tokenBytes)) {
      return sendJson(res, 401, { ok: false, error: { code: 'forbidden-token', message: '访问令牌无效：请使用启动时显示的完整地址打开' } });
    }
    if (!/^application\/json\b/.test(req.headers['content-type'] ?? '')) {
      return sendJson(res, 415, { ok: false, error: { code: 'content-type', message: '请求格式应为 JSON' } });
    }
    const body = await readBody(req);
    if (body === null) return sendJson(res, 413, { ok: false, error: { code: 'too-large', message: '上传的文件太大（超过 60 MB）' } });
    let args: unknown;
    try {
      args = body.length ? JSON.parse(body.toString('utf8')) : {};
    } catch {
      return sendJson(res, 400, { ok: false, error: { code: 'bad-json', message: '请求内容不是有效的 JSON' } });
    }
    sendJson(res, 200, await dispatch(ctx, name, args));
  }

  async function serveStatic(res: ServerResponse, pathname: string): Promise<void> {
    const root = normalize(options.rendererDir);
    let file = normalize(join(root, pathname));
    if (file !== root && !file.startsWith(root + sep)) {
      return sendJson(res, 404, { ok: false, error: { code: 'not-found', message: '找不到页面' } });
    }
    const info = await stat(file).catch(() => null);
    // The app is one page: unknown paths without a file extension get index.html.
    if (!info?.isFile()) {
      if (extname(pathname)) return sendJson(res, 404, { ok: false, error: { code: 'not-found', message: '找不到文件' } });
      file = join(root, 'index.html');
    }
    const data = await readFile(file).catch(() => null);
    if (!data) {
      res.writeHead(503, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('界面文件尚未生成：请先运行 npm run build');
      return;
    }
    res.writeHead(200, {
      'Content-Type': contentType(file),
      'Content-Security-Policy': CONTENT_SECURITY_POLICY,
      'Cache-Control': file.endsWith('index.html') ? 'no-store' : 'max-age=3600',
    });
    res.end(data);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  return {
    // The token rides in the fragment: browsers never send it to a server or put it in a Referer.
    url: `http://127.0.0.1:${port}/#token=${token}`,
    port,
    token,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function readBody(req: IncomingMessage): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(tooLarge ? null : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(JSON.stringify(body));
}
