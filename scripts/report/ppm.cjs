// Binary PPM (P6, 8-bit RGB): the raw image format between the Python report driver (which decodes JPEG/PNG
// with PIL) and the node steps (onnxruntime-node, TF.js), so neither side needs an image codec of the other.
'use strict';
const fs = require('fs');

function readPpm(file) {
  const data = fs.readFileSync(file);
  // Header: "P6", width, height, maxval, each separated by whitespace, then one whitespace byte and the pixels.
  const fields = [];
  let pos = 0;
  while (fields.length < 4) {
    while (pos < data.length && /\s/.test(String.fromCharCode(data[pos]))) pos++;
    const start = pos;
    while (pos < data.length && !/\s/.test(String.fromCharCode(data[pos]))) pos++;
    if (start === pos) throw new Error(`${file}: truncated PPM header`);
    fields.push(data.toString('ascii', start, pos));
  }
  const [magic, w, h, maxval] = fields;
  const width = Number(w), height = Number(h);
  if (magic !== 'P6' || maxval !== '255' || !(width > 0) || !(height > 0))
    throw new Error(`${file}: not an 8-bit binary PPM (header ${fields.join(' ')})`);
  const pixels = data.subarray(pos + 1, pos + 1 + width * height * 3);
  if (pixels.length !== width * height * 3) throw new Error(`${file}: ${pixels.length} pixel bytes, expected ${width * height * 3}`);
  return { width, height, pixels };
}

function writePpm(file, { width, height, pixels }) {
  fs.writeFileSync(file, Buffer.concat([Buffer.from(`P6\n${width} ${height}\n255\n`, 'ascii'), Buffer.from(pixels)]));
}

module.exports = { readPpm, writePpm };
