#!/usr/bin/env node
// A small static file server for site/ (no dependencies). It exists for two headers a plain file server lacks:
// COOP `same-origin` + COEP `require-corp` make the page cross-origin isolated, which WASM threads need.
// --no-isolation leaves them out, to see the page as a plain static host serves it (then the service worker,
// site/sw.js, supplies them). It sends a file's precompressed twin (FILE.br, FILE.gz from scripts/precompress.mjs)
// with Content-Encoding when the browser accepts it.
//
//   node scripts/static_server.mjs [--root site] [--port 8080] [--host 127.0.0.1] [--no-isolation]
//                                  [--mount /models/=path/to/other/models]
// Also importable: startServer(options) -> Promise<{ url, close() }> (the browser tests use it); options.onResponse
// ({ path, status, bytes, fileBytes, encoding }) is called for every reply (the first-load benchmark counts bytes).
import { createReadStream, promises as fs } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const MIME_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
  '.onnx': 'application/octet-stream',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.map': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
};

// The encodings an Accept-Encoding header allows ("gzip, deflate, br" or "br;q=1, gzip;q=0").
function acceptedEncodings(header) {
  const allowed = new Set();
  for (const part of header.split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';').map((x) => x.trim());
    const q = params.find((p) => p.startsWith('q='));
    if (name && !(q && Number.parseFloat(q.slice(2)) === 0)) allowed.add(name);
  }
  return allowed;
}

// The precompressed twin of `file` the browser accepts, best first: { file, encoding, size } or null. A twin older
// than its original is stale and ignored.
async function compressedTwin(file, acceptEncoding, originalMtime) {
  const allowed = acceptedEncodings(acceptEncoding);
  for (const [encoding, suffix] of [['br', '.br'], ['gzip', '.gz']]) {
    if (!allowed.has(encoding)) continue;
    try {
      const stat = await fs.stat(file + suffix);
      if (stat.isFile() && stat.mtimeMs >= originalMtime) return { file: file + suffix, encoding, size: stat.size };
    } catch {
      // no twin of this kind
    }
  }
  return null;
}

// Maps a URL path to a file under root (or under a mount), refusing anything that escapes it.
function resolveFile(urlPath, root, mounts) {
  let decoded;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  let base = root;
  let rest = decoded;
  for (const [prefix, dir] of mounts) {
    if (decoded.startsWith(prefix)) {
      base = dir;
      rest = decoded.slice(prefix.length);
      break;
    }
  }
  const file = path.resolve(base, '.' + path.posix.normalize('/' + rest));
  if (file !== base && !file.startsWith(base + path.sep)) return null;
  return file;
}

export function startServer({ root = 'site', port = 8080, host = '127.0.0.1', isolation = true, mounts = {},
                              log = false, onResponse = null } = {}) {
  const rootDir = path.resolve(root);
  const mountList = Object.entries(mounts).map(([prefix, dir]) => [prefix, path.resolve(dir)]);
  const server = http.createServer(async (request, response) => {
    const headers = { 'Cache-Control': 'no-cache', 'X-Content-Type-Options': 'nosniff' };
    if (isolation) {
      headers['Cross-Origin-Opener-Policy'] = 'same-origin';
      headers['Cross-Origin-Embedder-Policy'] = 'require-corp';
      headers['Cross-Origin-Resource-Policy'] = 'same-origin';
    }
    const reply = (status, text) => {
      if (onResponse) onResponse({ path: urlPath, status, bytes: 0, fileBytes: 0, encoding: '' });
      response.writeHead(status, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' });
      response.end(request.method === 'HEAD' ? undefined : text + '\n');
    };
    const urlPath = new URL(request.url, 'http://localhost').pathname;
    if (request.method !== 'GET' && request.method !== 'HEAD') return reply(405, 'only GET and HEAD are served');
    let file = resolveFile(urlPath, rootDir, mountList);
    if (!file) return reply(400, 'bad path');
    try {
      let stat = await fs.stat(file);
      if (stat.isDirectory()) {
        file = path.join(file, 'index.html');
        stat = await fs.stat(file);
      }
      const type = MIME_TYPES[path.extname(file).toLowerCase()] || 'application/octet-stream';
      const twin = await compressedTwin(file, String(request.headers['accept-encoding'] || ''), stat.mtimeMs);
      const sent = twin ? twin.file : file;
      const bytes = twin ? twin.size : stat.size;
      // Cache-Control no-cache makes the browser (and the service worker's fetches) ask again on every load; the
      // validator lets it keep its copy when the file is unchanged instead of downloading 14 MB of wasm again.
      // One tag per representation: the brotli and the plain bytes of a file are different bodies.
      const etag = `W/"${stat.size.toString(16)}-${Math.floor(stat.mtimeMs).toString(16)}-${twin ? twin.encoding : 'identity'}"`;
      const common = { ...headers, 'Content-Type': type, 'Vary': 'Accept-Encoding', 'ETag': etag,
                       'Last-Modified': stat.mtime.toUTCString(), ...(twin ? { 'Content-Encoding': twin.encoding } : {}) };
      if (String(request.headers['if-none-match'] || '').split(',').map((t) => t.trim()).includes(etag)) {
        response.writeHead(304, common);
        if (onResponse) onResponse({ path: urlPath, status: 304, bytes: 0, fileBytes: 0, encoding: '' });
        return response.end();
      }
      response.writeHead(200, { ...common, 'Content-Length': bytes });
      if (log) console.log(`200 ${urlPath}${twin ? ` (${twin.encoding})` : ''}`);
      if (onResponse) onResponse({ path: urlPath, status: 200, bytes, fileBytes: stat.size, encoding: twin ? twin.encoding : '' });
      if (request.method === 'HEAD') return response.end();
      createReadStream(sent).on('error', () => response.destroy()).pipe(response);
    } catch {
      if (log) console.log(`404 ${urlPath}`);
      reply(404, `not found: ${urlPath}`);
    }
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const address = server.address();
      resolve({
        url: `http://${host}:${address.port}/`,
        close: () => new Promise((done) => { server.closeAllConnections?.(); server.close(() => done()); }),
      });
    });
  });
}

function parseArgs(argv) {
  const options = { root: 'site', port: 8080, host: '127.0.0.1', isolation: true, mounts: {}, log: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) throw new Error(`${arg} needs a value`);
      return argv[++i];
    };
    if (arg === '--root') options.root = value();
    else if (arg === '--port') options.port = Number.parseInt(value(), 10);
    else if (arg === '--host') options.host = value();
    else if (arg === '--no-isolation') options.isolation = false;
    else if (arg === '--log') options.log = true;
    else if (arg === '--mount') {
      const [prefix, dir] = value().split('=');
      if (!prefix || !dir) throw new Error('--mount takes /prefix/=folder');
      options.mounts[prefix] = dir;
    } else throw new Error(`unknown option ${arg}`);
  }
  if (!Number.isInteger(options.port) || options.port < 0 || options.port > 65535)
    throw new Error('--port takes a number from 0 to 65535');
  return options;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  let options;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (error) {
    console.error(`static_server: ${error.message}`);
    process.exit(2);
  }
  startServer(options).then(({ url }) => {
    console.log(`Serving ${path.resolve(options.root)} at ${url}` +
                (options.isolation ? ' (cross-origin isolated: WASM threads on)'
                                   : ' (no COOP/COEP: single-threaded, like a plain static host)'));
    console.log('Press Ctrl+C to stop.');
  }, (error) => {
    console.error(`static_server: cannot listen on ${options.host}:${options.port}: ${error.message}` +
                  (error.code === 'EADDRINUSE' ? ' (port in use: pass --port N)' : ''));
    process.exit(1);
  });
}
