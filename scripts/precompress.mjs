#!/usr/bin/env node
// Writes FILE.br and FILE.gz beside every compressible file of the given folders, so that a server can send the
// smaller variant with Content-Encoding instead of compressing on every request (scripts/static_server.mjs does;
// Netlify and Cloudflare Pages compress by themselves). The ONNX Runtime wasm shrinks from 14.2 MB to 2.7 MB (br).
//
//   node scripts/precompress.mjs DIR...
// A variant is kept only when it saves at least 10%; pictures (already compressed) are skipped. Brotli runs at
// quality 11 for files under 2 MB and 9 above (11 takes ~50 s on the 14 MB wasm on a 2-core machine for 12% less).
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const COMPRESSIBLE = new Set(['.wasm', '.mjs', '.js', '.json', '.html', '.svg', '.onnx', '.md', '.css', '.txt',
                              '.webmanifest']);
const MIN_BYTES = 1024;
const BIG_BYTES = 2 * 1024 * 1024;

function* filesUnder(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* filesUnder(full);
    else if (entry.isFile()) yield full;
  }
}

function compressOne(file) {
  const original = fs.readFileSync(file);
  const variants = {
    '.br': () => zlib.brotliCompressSync(original, { params: {
      [zlib.constants.BROTLI_PARAM_QUALITY]: original.length < BIG_BYTES ? 11 : 9,
      [zlib.constants.BROTLI_PARAM_SIZE_HINT]: original.length } }),
    '.gz': () => zlib.gzipSync(original, { level: 9 }),
  };
  const sizes = {};
  for (const [suffix, compress] of Object.entries(variants)) {
    const packed = compress();
    if (packed.length <= original.length * 0.9) {
      fs.writeFileSync(file + suffix, packed);
      sizes[suffix] = packed.length;
    } else {
      fs.rmSync(file + suffix, { force: true });
    }
  }
  return { original: original.length, ...sizes };
}

const dirs = process.argv.slice(2);
if (dirs.length === 0) {
  console.error('usage: node scripts/precompress.mjs DIR...');
  process.exit(2);
}
let before = 0, brotli = 0, count = 0;
for (const dir of dirs) {
  for (const file of filesUnder(dir)) {
    if (!COMPRESSIBLE.has(path.extname(file).toLowerCase())) continue;
    if (fs.statSync(file).size < MIN_BYTES) continue;
    const sizes = compressOne(file);
    before += sizes.original;
    brotli += sizes['.br'] ?? sizes.original;
    count++;
  }
}
console.log(`precompress: ${count} files, ${(before / 1e6).toFixed(1)} MB -> ${(brotli / 1e6).toFixed(1)} MB as brotli`);
