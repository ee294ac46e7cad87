// browser.serve (no browser needed): scripts/static_server.mjs sends the precompressed twins that
// scripts/precompress.mjs wrote into the assembled site, with the right Content-Encoding, and the bytes decode to
// the original file; the favicon, the web app manifest and the static-host header file are there.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import zlib from 'node:zlib';
import { after, before, test } from 'node:test';

import { startServer } from '../../scripts/static_server.mjs';
import { SITE } from './harness.mjs';

let server;
before(async () => { server = await startServer({ root: SITE, port: 0 }); });
after(async () => { await server.close(); });

// GET `urlPath` with an Accept-Encoding header: { status, headers, body (as sent, still encoded) }.
const get = (urlPath, acceptEncoding, extraHeaders = {}) => new Promise((resolve, reject) => {
  const headers = { ...(acceptEncoding === undefined ? {} : { 'Accept-Encoding': acceptEncoding }), ...extraHeaders };
  http.get(new URL(urlPath, server.url), { headers }, (response) => {
    const chunks = [];
    response.on('data', (c) => chunks.push(c));
    response.on('end', () => resolve({ status: response.statusCode, headers: response.headers, body: Buffer.concat(chunks) }));
  }).on('error', reject);
});

const WASM = '/ort/ort-wasm-simd-threaded.wasm';

test('brotli, gzip or the file itself, as the browser accepts', async () => {
  const original = fs.readFileSync(path.join(SITE, WASM));
  const br = await get(WASM, 'gzip, deflate, br');
  assert.equal(br.headers['content-encoding'], 'br');
  assert.equal(br.headers['content-type'], 'application/wasm');
  assert.match(br.headers.vary, /Accept-Encoding/);
  assert.ok(br.body.length < original.length / 3, `brotli ${br.body.length} of ${original.length} bytes`);
  assert.ok(zlib.brotliDecompressSync(br.body).equals(original));

  const gz = await get(WASM, 'gzip');
  assert.equal(gz.headers['content-encoding'], 'gzip');
  assert.ok(zlib.gunzipSync(gz.body).equals(original));

  for (const none of [undefined, 'identity', 'br;q=0, gzip;q=0']) {
    const plain = await get(WASM, none);
    assert.equal(plain.headers['content-encoding'], undefined, `Accept-Encoding: ${none}`);
    assert.ok(plain.body.equals(original));
  }
});

test('an unchanged file is not sent again (ETag per encoding, 304)', async () => {
  const first = await get(WASM, 'br');
  assert.ok(first.headers.etag, 'an ETag is sent');
  const again = await get(WASM, 'br', { 'If-None-Match': first.headers.etag });
  assert.equal(again.status, 304);
  assert.equal(again.body.length, 0);
  // The plain bytes are another representation: the brotli tag must not validate them.
  const plain = await get(WASM, undefined, { 'If-None-Match': first.headers.etag });
  assert.equal(plain.status, 200);
  assert.notEqual(plain.headers.etag, first.headers.etag);
});

test('favicon, web app manifest, _headers and the service worker are served', async () => {
  const icon = await get('/favicon.svg');
  assert.equal(icon.status, 200);
  assert.match(icon.headers['content-type'], /image\/svg\+xml/);
  const manifest = await get('/manifest.webmanifest');
  assert.equal(manifest.status, 200);
  assert.equal(JSON.parse(manifest.body.toString()).icons[0].src, 'favicon.svg');
  const page = (await get('/')).body.toString();
  assert.match(page, /rel="icon" href="favicon.svg"/);
  assert.match(page, /rel="manifest" href="manifest.webmanifest"/);
  assert.match(fs.readFileSync(path.join(SITE, '_headers'), 'utf8'), /Cross-Origin-Embedder-Policy: require-corp/);
  assert.equal((await get('/sw.js')).status, 200);
});
