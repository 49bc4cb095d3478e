/** What the desktop shell and the web host both send with the renderer's files. */
import { extname } from 'node:path';

/** No remote content at all: everything comes from the app itself. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  // antd writes its styles at run time.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  // Print previews are documents the renderer made itself, shown from blob: URLs in a frame.
  'frame-src blob:',
  "base-uri 'none'",
  "form-action 'none'",
  // Our own preview frame inherits this policy, so 'self' rather than 'none'; nobody else may frame the app.
  "frame-ancestors 'self'",
].join('; ');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

export function contentType(file: string): string {
  return TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
}
