// Memory (and CPU time) of the page as the operating system sees it (Linux /proc): the resident size of the Chromium renderer
// process of one app, which hold the page's JS heap, both WebAssembly heaps (our app's and ONNX Runtime's) and
// ORT's worker threads. Browser APIs see only parts of that (performance.memory: the JS heap alone), so the
// memory test and benchmark read /proc.
import fs from 'node:fs';

function readOr(file, fallback) {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return fallback;  // the process ended while we looked
  }
}

function processes() {
  return fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map((pid) => {
    const stat = readOr(`/proc/${pid}/stat`, '');
    // The command name (field 2) may hold spaces and parentheses: the parent pid follows the last ')'.
    const ppid = stat ? Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) : -1;
    // Chromium rewrites its children's command lines into one space-separated string: split on both.
    return { pid: Number(pid), ppid, cmdline: readOr(`/proc/${pid}/cmdline`, '').split(/[\0 ]/) };
  });
}

// Every process of the Chromium launched with `userDataDir` (the harness's app.userDataDir): the browser and its
// descendants, each with its Chromium process type ('browser', 'renderer', 'gpu-process', 'utility', ...).
export function browserProcesses(userDataDir) {
  const all = processes();
  const browser = all.find((p) => p.cmdline.includes(`--user-data-dir=${userDataDir}`) &&
                                  !p.cmdline.some((a) => a.startsWith('--type=')));
  if (!browser) throw new Error(`no Chromium running with --user-data-dir=${userDataDir}`);
  const descendants = new Set([browser.pid]);
  for (let grew = true; grew;) {
    grew = false;
    for (const p of all)
      if (!descendants.has(p.pid) && descendants.has(p.ppid)) {
        descendants.add(p.pid);
        grew = true;
      }
  }
  const typeOf = (p) => (p.cmdline.find((a) => a.startsWith('--type=')) || '--type=browser').slice('--type='.length);
  return all.filter((p) => descendants.has(p.pid)).map((p) => ({ pid: p.pid, type: typeOf(p) }));
}

// The renderer processes of that Chromium.
export function rendererPids(userDataDir) {
  return browserProcesses(userDataDir).filter((p) => p.type === 'renderer').map((p) => p.pid);
}

// CPU time used so far (user + system, seconds) by that Chromium's processes, summed per process type.
export function cpuSecondsByType(userDataDir) {
  const ticksPerSecond = 100;  // USER_HZ on Linux
  const out = {};
  for (const { pid, type } of browserProcesses(userDataDir)) {
    const stat = readOr(`/proc/${pid}/stat`, '');
    if (!stat) continue;
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');  // fields 3.. of proc(5)
    out[type] = (out[type] || 0) + (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;  // utime, stime
  }
  return out;
}

// {rss, peak} in MiB of the app's renderer: resident now (VmRSS) and the highest it has been (VmHWM). Chromium
// also keeps a small renderer for its own UI and a spare one; the app's, with ORT and both WebAssembly heaps, is
// the largest by far.
export function rendererMemory(userDataDir) {
  let best = { rss: 0, peak: 0 };
  for (const pid of rendererPids(userDataDir)) {
    const status = readOr(`/proc/${pid}/status`, '');
    const kib = (field) => Number((status.match(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm')) || [0, 0])[1]);
    const memory = { rss: kib('VmRSS') / 1024, peak: kib('VmHWM') / 1024 };
    if (memory.peak > best.peak) best = memory;
  }
  return best;
}
