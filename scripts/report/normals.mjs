// A seeded standard normal (mulberry32 + Box-Muller), shared by the generator scripts so that "sample seed k" is
// the same latent in the report's grids (scripts/generator-report.mjs) and in the measured samples
// (scripts/report/generator-samples.mjs).
export function normals(seed, n) {
  let a = seed >>> 0;
  const uniform = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return Float32Array.from({ length: n }, () => Math.sqrt(-2 * Math.log(uniform() + 1e-12)) * Math.cos(2 * Math.PI * uniform()));
}

// The latent a manifest entry takes for sample `seed`: z = normals(seed, free size) scaled by `truncation` (the
// truncation trick, as the app's styleforge::truncate_latent; 1: z as drawn), then, for a class-conditional model
// (entry.classes), the one-hot of `classIndex` (models/manifest.json: the class is the latent's last values).
export function latentFor(entry, seed, classIndex = 0, truncation = 1) {
  const classes = (entry.classes || []).length;
  const latent = new Float32Array(entry.latent_size);
  latent.set(normals(seed, entry.latent_size - classes).map((v) => v * truncation));
  if (classes > 0) latent[entry.latent_size - classes + (classIndex % classes)] = 1;
  return latent;
}
