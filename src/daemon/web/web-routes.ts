import { existsSync, readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { dirname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AllowedOrigin } from '../daemon-config.js';
import { originEntry } from '../request-guard.js';

/** The package root (holds package.json, web/ and dist/), found from this module's place in src/ or dist/src/. */
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('sscard package root not found');
    dir = up;
  }
  return dir;
}

const ROOT = packageRoot();
const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8' };

/** Pages that must stay top-level windows: never framed (no clickjacking of the bridge or the demo). */
const PAGE_HEADERS = {
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Content-Security-Policy': "frame-ancestors 'none'",
  'Referrer-Policy': 'no-referrer',
};

export interface WebRouteOptions {
  readonly allowedOrigins: readonly AllowedOrigin[];
  readonly demo: boolean;
}

/**
 * The pages the daemon serves itself (docs/browsers.md): `/bridge` (the relay window for pages the
 * browser blocks), `/bridge/check?origin=` (same-origin only: no CORS headers), `/demo/` (with
 * --demo) and `/sdk/` (the browser SDK's modules, for the demo). Returns false when the path is not
 * one of them. Only GET/HEAD.
 */
export function serveWebRoute(req: IncomingMessage, res: ServerResponse, o: WebRouteOptions): boolean {
  const [path = '/', query = ''] = (req.url ?? '/').split('?', 2);
  const isPage = path === '/' || path === '/bridge' || path === '/bridge/check' || path.startsWith('/demo') || path.startsWith('/sdk/');
  if (!isPage) return false;
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { Allow: 'GET, HEAD' }).end();
    return true;
  }
  if (path === '/bridge') return sendFile(res, join(ROOT, 'web', 'bridge.html'));
  if (path === '/bridge/check') {
    const origin = new URLSearchParams(query).get('origin') ?? '';
    const body = JSON.stringify({ allowed: originEntry(origin, o.allowedOrigins) !== undefined });
    res.writeHead(200, { ...PAGE_HEADERS, 'Content-Type': 'application/json' }).end(body);
    return true;
  }
  if (!o.demo) return notFound(res);
  if (path === '/' || path === '/demo') {
    res.writeHead(302, { Location: '/demo/' }).end();
    return true;
  }
  if (path === '/demo/') return sendFile(res, join(ROOT, 'web', 'demo', 'index.html'));
  if (path.startsWith('/demo/')) return sendUnder(res, join(ROOT, 'web', 'demo'), path.slice('/demo/'.length));
  // /sdk/client/*.js and /sdk/daemon/protocol/*.js: the compiled client and the protocol constants it imports
  const rel = normalize(path.slice('/sdk/'.length));
  if (!(rel.startsWith(`client${sep}`) || rel.startsWith(`daemon${sep}protocol${sep}`))) return notFound(res);
  return sendUnder(res, join(ROOT, 'dist', 'src'), rel);
}

function sendUnder(res: ServerResponse, base: string, rel: string): boolean {
  const n = normalize(rel);
  if (n.startsWith('..') || n.includes(`${sep}..`) || !/^[A-Za-z0-9_\-/.]+\.(js|css|html)$/.test(n)) return notFound(res);
  return sendFile(res, join(base, n));
}

function sendFile(res: ServerResponse, file: string): boolean {
  let body: Buffer;
  try {
    body = readFileSync(file);
  } catch {
    return notFound(res);
  }
  const ext = file.slice(file.lastIndexOf('.'));
  res.writeHead(200, { ...PAGE_HEADERS, 'Content-Type': TYPES[ext] ?? 'application/octet-stream', 'Content-Length': String(body.length) }).end(body);
  return true;
}

function notFound(res: ServerResponse): boolean {
  res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found\n');
  return true;
}
