// A still scene for Chromium's fake camera: a picture written as a YUV4MPEG2 (4:2:0) file whose frames differ only
// by sensor-like noise, for --use-file-for-fake-video-capture=FILE.y4m (Chromium loops the file at its frame rate).
import fs from 'node:fs';

// Chromium's flags for a camera that plays `file` and a permission prompt answered "allow".
export const fakeCameraArgs = (file) => [
  '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', `--use-file-for-fake-video-capture=${file}`,
];

// Gaussian noise from a fixed seed (LCG + Box-Muller): the same file every run.
function gaussian(seed) {
  let state = seed >>> 0;
  const uniform = () => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) + 1) / 4294967297;
  return () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
}

// Writes `frames` frames of `image` ({ width, height, rgba }, even sides) at `fps`, each with independent Gaussian
// noise of standard deviation `noise` (0..255 units) added to R, G and B before the conversion to YUV (BT.601,
// full range, chroma averaged over 2x2 blocks). Returns the mean absolute frame-to-frame RGB change the noise makes
// in theory (for reference): noise * 2 / sqrt(pi).
export function writeStillY4m(file, image, { frames = 30, fps = 30, noise = 2, seed = 1 } = {}) {
  const { width, height, rgba } = image;
  if (width % 2 || height % 2) throw new Error(`y4m 4:2:0 needs even sides, got ${width}x${height}`);
  const next = gaussian(seed);
  const clamp = (v) => (v < 0 ? 0 : v > 255 ? 255 : Math.round(v));
  const plane = width * height;
  const header = Buffer.from(`YUV4MPEG2 W${width} H${height} F${fps}:1 Ip A1:1 C420jpeg\n`, 'ascii');
  const frameMagic = Buffer.from('FRAME\n', 'ascii');
  const fd = fs.openSync(file, 'w');
  try {
    fs.writeSync(fd, header);
    const y = new Uint8Array(plane), u = new Uint8Array(plane / 4), v = new Uint8Array(plane / 4);
    const cb = new Float32Array(plane), cr = new Float32Array(plane);
    for (let f = 0; f < frames; f++) {
      for (let i = 0; i < plane; i++) {
        const r = rgba[i * 4] + noise * next(), g = rgba[i * 4 + 1] + noise * next(), b = rgba[i * 4 + 2] + noise * next();
        y[i] = clamp(0.299 * r + 0.587 * g + 0.114 * b);
        cb[i] = 128 - 0.168736 * r - 0.331264 * g + 0.5 * b;
        cr[i] = 128 + 0.5 * r - 0.418688 * g - 0.081312 * b;
      }
      for (let row = 0; row < height / 2; row++)
        for (let col = 0; col < width / 2; col++) {
          const i = row * 2 * width + col * 2, o = row * (width / 2) + col;
          u[o] = clamp((cb[i] + cb[i + 1] + cb[i + width] + cb[i + width + 1]) / 4);
          v[o] = clamp((cr[i] + cr[i + 1] + cr[i + width] + cr[i + width + 1]) / 4);
        }
      fs.writeSync(fd, frameMagic);
      fs.writeSync(fd, y);
      fs.writeSync(fd, u);
      fs.writeSync(fd, v);
    }
  } finally {
    fs.closeSync(fd);
  }
  return (noise * 2) / Math.sqrt(Math.PI);
}
