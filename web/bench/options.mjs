// Command-line options of the benchmark scripts: `option('--name', fallback)` is the value after --name, else the
// fallback; `flag('--name')` is whether --name was given.
const args = process.argv.slice(2);

export const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : fallback;
};

export const flag = (name) => args.includes(name);
