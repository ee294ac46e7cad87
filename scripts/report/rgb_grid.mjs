// Colour tiles ([3, S, S] in -1..1, planar as the generators output them) written as one PNG: `cols` per row,
// 2 px white gaps, x`zoom` nearest neighbour (pixels stay crisp). Used by the generator report and the slider sheet.
import fs from 'node:fs';
import { encodePng } from '../../tests/browser/png.mjs';

export function saveRgbGrid(file, tiles, cols, size, zoom = 2) {
  const rows = Math.ceil(tiles.length / cols), cell = size * zoom + 2, plane = size * size;
  const w = cols * cell, h = rows * cell, px = new Uint8Array(w * h * 3).fill(255);
  tiles.forEach((t, i) => {
    const ox = (i % cols) * cell + 1, oy = Math.floor(i / cols) * cell + 1;
    for (let y = 0; y < size * zoom; y++)
      for (let x = 0; x < size * zoom; x++)
        for (let c = 0; c < 3; c++) {
          const v = t[c * plane + Math.floor(y / zoom) * size + Math.floor(x / zoom)];
          px[((oy + y) * w + ox + x) * 3 + c] = Math.max(0, Math.min(255, Math.round((v + 1) * 127.5)));
        }
  });
  fs.writeFileSync(file, encodePng(w, h, px, 3));
}
