// The JS half of web/src/ort_backend.cpp: ONNX Runtime Web sessions keyed by small integer handles, so that C++
// holds no JS objects. Installed as globalThis.sfOrt by boot.mjs; every call returns at once (runs are promises
// whose results boot's EM_JS glue copies into the wasm heap).
//
// Engine choice: 'wasm' runs on the CPU; 'webgpu' requires a WebGPU adapter (software ones included) and fails
// without one; 'auto' uses WebGPU only on a hardware adapter and otherwise runs on wasm, recording why (no
// navigator.gpu, no adapter, only a software adapter, or the session creation error).

const describeError = (error) => (error && error.message ? error.message : String(error));

// A WebGPU adapter that is really the CPU pretending (SwiftShader, llvmpipe, WARP...) runs these networks tens of
// times slower than WASM on the same CPU (measured: 218 s vs 5 s for a 512x404 photo), so Auto never picks one.
// Browsers flag some as fallback adapters; others are known by name.
const SOFTWARE_ADAPTER = /swiftshader|llvmpipe|lavapipe|softpipe|software|microsoft basic render|\bwarp\b/i;
export function describeAdapter(adapter) {
  const info = adapter.info || {};
  const name = [info.vendor, info.architecture, info.device, info.description].filter((x) => x).join(' ') || 'unnamed';
  const software = adapter.isFallbackAdapter === true || info.isFallbackAdapter === true || SOFTWARE_ADAPTER.test(name);
  return { name, software };
}

// ONNX Runtime Web comes in two builds, loaded on first use: `loadWasm` (ort.wasm.min.mjs, a 14 MB wasm, CPU only)
// and `loadWebGpu` (ort.min.mjs, the JSEP build: a 28 MB wasm that also runs WebGPU). A page that never runs on
// WebGPU never downloads the big one. Each build has its own `env`, configured the same way on import.
//
// Auto on a hardware adapter also watches the first run of each WebGPU session: when it has not finished within
// `slowFirstRunMs`, the GPU is slower than the CPU here (an old integrated GPU, a driver falling back to software
// unannounced), so the same input runs on WASM at once, that model stays on WASM and Auto takes WASM for every
// model from then on, with the reason shown. `allowSoftwareAdapter` lets Auto try a software adapter (tests of this
// fallback, which have only SwiftShader).
export function installOrtBridge({ threads, proxy, wasmRuntime, loadWebGpu, slowFirstRunMs = 20000,
                                   allowSoftwareAdapter = false }) {
  const isolated = globalThis.crossOriginIsolated === true;
  const cores = navigator.hardwareConcurrency || 1;
  let note = '';
  let numThreads;
  if (!isolated) {
    // Without COOP/COEP there is no SharedArrayBuffer, hence no wasm threads.
    numThreads = 1;
    note = 'This page is not cross-origin isolated (the host sends no COOP/COEP headers and no service worker ' +
           'supplied them), so models run on one thread. scripts/serve sends those headers.';
  } else if (threads > 0) {
    numThreads = threads;
  } else {
    // ONNX Runtime would pick 1 thread on a 2-core machine; set the count ourselves (at most 4, leave one core).
    numThreads = Math.max(1, Math.min(4, cores > 2 ? cores - 1 : cores));
  }
  const configure = (ort) => {
    ort.env.wasm.wasmPaths = new URL('../ort/', import.meta.url).href;
    ort.env.wasm.numThreads = numThreads;
    ort.env.wasm.proxy = proxy;
    ort.env.logLevel = 'error';
    return ort;
  };
  configure(wasmRuntime);
  let webgpuRuntime = null;  // the JSEP build's promise, once something runs on WebGPU
  const runtimeFor = (engine) => {
    if (engine === 'wasm') return Promise.resolve(wasmRuntime);
    if (!webgpuRuntime) webgpuRuntime = loadWebGpu().then(configure);
    return webgpuRuntime;
  };

  let webgpuStatus = 'checking...';
  let adapterProblem = null;   // null: a hardware adapter exists; otherwise why Auto does not use WebGPU
  let adapterMissing = false;  // true: no adapter at all (WebGPU only fails); false: at least a software one
  const adapterCheck = (async () => {
    if (!navigator.gpu) {
      adapterProblem = 'this browser has no WebGPU (navigator.gpu is missing)';
      adapterMissing = true;
    } else {
      try {
        const adapter = await navigator.gpu.requestAdapter();
        if (!adapter) {
          adapterProblem = 'the browser found no WebGPU adapter (GPU blocked or unsupported)';
          adapterMissing = true;
        } else {
          const { name, software } = describeAdapter(adapter);
          if (software && !allowSoftwareAdapter) {
            adapterProblem = `the only WebGPU adapter is a software one (${name}), which runs on the CPU far more ` +
                             'slowly than WASM; choose "WebGPU only" to use it anyway';
            webgpuStatus = `software adapter only (${name}): Auto runs on WASM`;
          } else {
            webgpuStatus = `available (adapter: ${name})`;
          }
        }
      } catch (error) {
        adapterProblem = 'requesting a WebGPU adapter failed: ' + describeError(error);
        adapterMissing = true;
      }
    }
    if (adapterMissing) webgpuStatus = 'not available: ' + adapterProblem;
  })();

  const sessions = new Map();  // handle -> { info, promise (resolves to { ort, session }), url, watchFirstRun }
  let webgpuTooSlow = null;    // why Auto stopped using WebGPU on this page, once a first run was too slow
  const options = (engine) => ({ executionProviders: [engine], graphOptimizationLevel: 'all' });
  const open = async (engine, url) => {
    const ort = await runtimeFor(engine);
    return { ort, session: await ort.InferenceSession.create(url, options(engine)) };
  };

  async function create(url, preference, info) {
    const started = performance.now();
    let opened = null;
    if (preference !== 'wasm') {
      await adapterCheck;
      if (preference === 'webgpu' && adapterMissing)
        throw new Error('WebGPU was chosen, but ' + adapterProblem + '. Choose Auto or WASM.');
      if (preference === 'auto' && (adapterProblem || webgpuTooSlow)) {
        info.fallback = adapterProblem || webgpuTooSlow;
      } else {
        try {
          opened = await open('webgpu', url);
          info.engine = 'webgpu';
        } catch (error) {
          if (preference === 'webgpu') throw new Error('WebGPU could not run ' + url + ': ' + describeError(error));
          info.fallback = 'creating the WebGPU session failed: ' + describeError(error);
        }
      }
    }
    if (!opened) {
      opened = await open('wasm', url);
      info.engine = 'wasm';
    }
    info.createMs = performance.now() - started;
    return opened;
  }

  // One session.run with its timings: { data: Float32Array, dims, inferenceMs, bridgeMs }.
  // `extra`: null, or a second input { name, data, dims } (an arbitrary-style transformer's style code).
  async function runOn(ort, session, inputName, outputName, data, dims, extra) {
    const t0 = performance.now();
    const feeds = { [inputName]: new ort.Tensor('float32', data, dims) };
    if (extra) feeds[extra.name] = new ort.Tensor('float32', extra.data, extra.dims);
    const t1 = performance.now();
    const results = await session.run(feeds, [outputName]);
    const t2 = performance.now();
    const out = results[outputName];
    if (out.type !== 'float32') throw new Error(`output '${outputName}' is ${out.type}, expected float32`);
    const outData = await out.getData();  // downloads from the GPU when WebGPU ran
    const t3 = performance.now();
    return { data: outData, dims: out.dims, inferenceMs: t2 - t1 + (t3 - t2), bridgeMs: t1 - t0 };
  }

  // Auto's first WebGPU run of a session, against a deadline: past it, the same input runs on WASM and the session
  // becomes a WASM one (its next tiles, and Auto's next models, too). The WebGPU run cannot be stopped; its answer
  // is dropped and its session released once it settles.
  async function runWatched(entry, gpu, inputName, outputName, data, dims, extra) {
    const late = Symbol('late');
    const copy = data.slice();  // the WebGPU run may hold on to `data`; the WASM run gets its own
    const extraCopy = extra ? { ...extra, data: extra.data.slice() } : null;
    const gpuRun = runOn(gpu.ort, gpu.session, inputName, outputName, data, dims, extra);
    let timer;
    const first = await Promise.race([gpuRun, new Promise((resolve) => { timer = setTimeout(() => resolve(late), slowFirstRunMs); })]);
    clearTimeout(timer);
    if (first !== late) return first;
    webgpuTooSlow = `the first WebGPU run took more than ${(slowFirstRunMs / 1000).toFixed(1)} s, so Auto ` +
                    'switched to WASM (faster on this device)';
    gpuRun.catch(() => {}).finally(() => gpu.session.release());
    const started = performance.now();
    entry.promise = open('wasm', entry.url);
    entry.promise.catch(() => {});
    const wasm = await entry.promise;
    entry.info.engine = 'wasm';
    entry.info.fallback = webgpuTooSlow;
    entry.info.createMs += performance.now() - started;
    return runOn(wasm.ort, wasm.session, inputName, outputName, copy, dims, extraCopy);
  }

  globalThis.sfOrt = {
    runtimeInfo: () => ({
      version: wasmRuntime.env.versions ? wasmRuntime.env.versions.web || wasmRuntime.env.versions.common : '',
      threads: numThreads, crossOriginIsolated: isolated, proxy: !!proxy, webgpu: webgpuStatus, note,
      webgpuRuntimeLoaded: webgpuRuntime !== null,
    }),

    createSession(handle, url, preference) {
      const info = { state: 'loading', engine: '', fallback: '', createMs: 0, error: '' };
      const promise = create(url, preference, info);
      promise.then(() => { info.state = 'ready'; },
                   (error) => {
                     info.state = 'failed';
                     info.error = 'could not load the model ' + url + ': ' + describeError(error);
                   });
      sessions.set(handle, { info, promise, url, watchFirstRun: preference === 'auto' });
    },

    sessionInfo: (handle) => (sessions.get(handle) || { info: { state: 'failed', error: 'no such session' } }).info,

    release(handle) {
      const entry = sessions.get(handle);
      sessions.delete(handle);
      if (entry) entry.promise.then(({ session }) => session.release()).catch(() => {});
    },

    // Resolves to { data: Float32Array, dims, inferenceMs, bridgeMs } or rejects with a message for a person.
    async run(handle, inputName, outputName, data, dims, extra = null) {
      const entry = sessions.get(handle);
      if (!entry) throw new Error('the model was unloaded (engine changed?); run it again');
      let ort, session;
      try {
        ({ ort, session } = await entry.promise);
      } catch (error) {
        throw new Error(entry.info.error || describeError(error));
      }
      if (!session.inputNames.includes(inputName))
        throw new Error(`the model has no input '${inputName}' (it has: ${session.inputNames.join(', ')}); fix the manifest`);
      if (!session.outputNames.includes(outputName))
        throw new Error(`the model has no output '${outputName}' (it has: ${session.outputNames.join(', ')}); fix the manifest`);
      if (extra && !session.inputNames.includes(extra.name))
        throw new Error(`the model has no input '${extra.name}' (it has: ${session.inputNames.join(', ')}); fix the manifest`);
      if (entry.watchFirstRun && entry.info.engine === 'webgpu') {
        entry.watchFirstRun = false;
        return runWatched(entry, { ort, session }, inputName, outputName, data, dims, extra);
      }
      return runOn(ort, session, inputName, outputName, data, dims, extra);
    },
  };
}
