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
//
// WebGPU extras (issue 10 item 5):
// - Warm-up: a WebGPU session runs once on zeros right after creation (`warmup` of createSession: a small valid
//   input), so compiling its shaders is not paid by the person's first picture; its time is `warmupMs`, apart
//   from creation and inference. Under Auto the warm-up is the watched first run: past `slowFirstRunMs` the model
//   goes to WASM before any picture waits on it.
// - Graph capture for webcam frames (run(..., frame = true)): frames have one fixed size, so a second session of
//   the model with `enableGraphCapture` replays the recorded GPU commands instead of dispatching every kernel.
//   ORT requires every input and output of such a session to be a GPU buffer that stays the same from run to run,
//   so the frame's input and output live in buffers made once per frame size: a frame is written into the input
//   buffer and its output downloaded once, nothing is allocated per frame. If the session cannot be made or a
//   captured run fails, frames go on through the normal session and `graphCapture` says why.
//   `graphCapture`: 'on' (default), 'off', or 'fail' (tests: create the session with an option ORT refuses).
//   `warmUpSessions`: false skips the warm-up (to measure what it saves).
export function installOrtBridge({ threads, proxy, wasmRuntime, loadWebGpu, slowFirstRunMs = 20000,
                                   allowSoftwareAdapter = false, graphCapture = 'on', warmUpSessions = true }) {
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
  // The WebGPU build never uses ORT's proxy worker: the worker refuses GPU-buffer inputs and outputs ("not
  // supported for proxy"), which graph capture needs, and on WebGPU the page thread only records and submits GPU
  // work, so the worker would keep little off it.
  const configure = (ort, useProxy) => {
    ort.env.wasm.wasmPaths = new URL('../ort/', import.meta.url).href;
    ort.env.wasm.numThreads = numThreads;
    ort.env.wasm.proxy = useProxy;
    ort.env.logLevel = 'error';
    return ort;
  };
  configure(wasmRuntime, proxy);
  let webgpuRuntime = null;  // the JSEP build's promise, once something runs on WebGPU
  const runtimeFor = (engine) => {
    if (engine === 'wasm') return Promise.resolve(wasmRuntime);
    if (!webgpuRuntime) webgpuRuntime = loadWebGpu().then((ort) => configure(ort, false));
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

  // Runs a new WebGPU session once on zeros. Under Auto, a warm-up past the deadline means this GPU is slower than
  // WASM: the result is 'late' and the caller opens the WASM session instead.
  async function warmUp(opened, warmup, info, watched) {
    const zeros = (dims) => new Float32Array(dims.reduce((a, b) => a * b, 1));
    const extra = warmup.extra ? { ...warmup.extra, data: zeros(warmup.extra.dims) } : null;
    const started = performance.now();
    const run = runOn(opened.ort, opened.session, warmup.input, warmup.output, zeros(warmup.dims), warmup.dims, extra);
    let timer;
    const deadline = watched ? new Promise((resolve) => { timer = setTimeout(() => resolve('late'), slowFirstRunMs); })
                             : new Promise(() => {});
    try {
      if (await Promise.race([run, deadline]) === 'late') {
        run.catch(() => {}).finally(() => opened.session.release());
        return 'late';
      }
      info.warmupMs = performance.now() - started;
    } catch (error) {
      // Not fatal: the real run will say what is wrong if it is the model.
      info.warmupMs = performance.now() - started;
      info.warmupError = describeError(error);
    } finally {
      clearTimeout(timer);
    }
    return 'done';
  }

  async function create(url, preference, info, warmup) {
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
    if (opened && warmup && warmUpSessions) {
      info.createMs = performance.now() - started;
      if (await warmUp(opened, warmup, info, preference === 'auto') === 'late') {
        webgpuTooSlow = `the first WebGPU run took more than ${(slowFirstRunMs / 1000).toFixed(1)} s (the warm-up, ` +
                        'on zeros), so Auto switched to WASM (faster on this device)';
        info.fallback = webgpuTooSlow;
        opened = null;
      }
    }
    if (!opened) {
      opened = await open('wasm', url);
      info.engine = 'wasm';
    }
    info.createMs = performance.now() - started - info.warmupMs;
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

  // Graph capture for webcam frames: entry.capture is null (not tried at this frame size) or
  // { key, ready: null while the session is being made, then { session, device, input, output, staging, feeds,
  // fetches, outBytes } }. Made after a first frame of that size ran on the normal session (which gives the output
  // shape for the output buffer); frames meanwhile use the normal session.
  const releaseCapture = (capture) => {
    if (!capture) return;
    capture.ready.then((c) => {
      if (!c) return;
      c.session.release().catch(() => {});
      for (const buffer of [c.input, c.output, c.staging]) buffer.destroy();
    });
  };
  const captureFailed = (entry, why) => {
    entry.info.graphCapture = 'failed: ' + why;
    releaseCapture(entry.capture);
    entry.capture = { key: null, ready: Promise.resolve(null) };  // not tried again for this model
  };

  async function openCapture(entry, inputName, outputName, dims, outDims) {
    const ort = await runtimeFor('webgpu');
    const session = await ort.InferenceSession.create(entry.url, {
      executionProviders: ['webgpu'], graphOptimizationLevel: 'all', enableGraphCapture: true,
      // 'fail' (tests): an output location ORT refuses with graph capture, so creation fails as a real one would.
      preferredOutputLocation: graphCapture === 'fail' ? 'cpu' : 'gpu-buffer',
    });
    const device = await ort.env.webgpu.device;  // the device ORT's WebGPU backend runs on
    const bytes = (d) => 4 * d.reduce((a, b) => a * b, 1);
    const usage = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST;
    const input = device.createBuffer({ size: bytes(dims), usage });
    const output = device.createBuffer({ size: bytes(outDims), usage });
    const staging = device.createBuffer({ size: bytes(outDims), usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
    return {
      session, device, input, output, staging, outBytes: bytes(outDims), outDims,
      feeds: { [inputName]: ort.Tensor.fromGpuBuffer(input, { dataType: 'float32', dims }) },
      fetches: { [outputName]: ort.Tensor.fromGpuBuffer(output, { dataType: 'float32', dims: outDims }) },
    };
  }

  // One captured run: the frame written into the input buffer, the output copied into the staging buffer and read
  // back; the same three buffers serve every frame of this size.
  async function runCaptured(c, data) {
    const t0 = performance.now();
    c.device.queue.writeBuffer(c.input, 0, data);
    const t1 = performance.now();
    await c.session.run(c.feeds, c.fetches);
    const encoder = c.device.createCommandEncoder();
    encoder.copyBufferToBuffer(c.output, 0, c.staging, 0, c.outBytes);
    c.device.queue.submit([encoder.finish()]);
    await c.staging.mapAsync(GPUMapMode.READ);
    const out = new Float32Array(c.staging.getMappedRange().slice(0));
    c.staging.unmap();
    return { data: out, dims: c.outDims, inferenceMs: performance.now() - t1, bridgeMs: t1 - t0 };
  }

  // A webcam frame on WebGPU: through the captured session when it is ready, else the normal one.
  async function runFrame(entry, ort, session, inputName, outputName, data, dims) {
    const key = dims.join('x');
    if (entry.capture && entry.capture.key !== key && entry.capture.key !== null) {
      releaseCapture(entry.capture);  // the frame size changed: capture again at the new size
      entry.capture = null;
    }
    const capture = entry.capture;
    const c = capture && capture.key !== null ? capture.value : null;
    if (c) {
      try {
        const out = await runCaptured(c, data);
        entry.info.capturedFrames += 1;
        return out;
      } catch (error) {
        captureFailed(entry, 'a captured run failed: ' + describeError(error));
      }
    }
    const out = await runOn(ort, session, inputName, outputName, data, dims, null);
    if (!entry.capture) {
      const made = { key, ready: null, value: null };
      entry.capture = made;
      entry.info.graphCapture = 'creating';
      made.ready = openCapture(entry, inputName, outputName, dims, out.dims).then((value) => {
        if (entry.capture !== made) {  // released or the size changed meanwhile
          value.session.release().catch(() => {});
          for (const buffer of [value.input, value.output, value.staging]) buffer.destroy();
          return null;
        }
        made.value = value;
        entry.info.graphCapture = 'on';
        return value;
      }, (error) => {
        if (entry.capture === made) captureFailed(entry, 'creating the session failed: ' + describeError(error));
        return null;
      });
    }
    return out;
  }

  globalThis.sfOrt = {
    runtimeInfo: () => ({
      version: wasmRuntime.env.versions ? wasmRuntime.env.versions.web || wasmRuntime.env.versions.common : '',
      threads: numThreads, crossOriginIsolated: isolated, proxy: !!proxy, webgpu: webgpuStatus, note,
      webgpuRuntimeLoaded: webgpuRuntime !== null,
    }),

    // `warmup`: null, or { input, output, dims, extra: null | { name, dims } }, a small valid input for the
    // warm-up run of a WebGPU session.
    createSession(handle, url, preference, warmup = null) {
      const info = { state: 'loading', engine: '', fallback: '', createMs: 0, error: '', warmupMs: 0, warmupError: '',
                     graphCapture: '', capturedFrames: 0 };
      const promise = create(url, preference, info, warmup);
      promise.then(() => { info.state = 'ready'; },
                   (error) => {
                     info.state = 'failed';
                     info.error = 'could not load the model ' + url + ': ' + describeError(error);
                   });
      sessions.set(handle, { info, promise, url, watchFirstRun: preference === 'auto', capture: null });
    },

    sessionInfo: (handle) => (sessions.get(handle) || { info: { state: 'failed', error: 'no such session' } }).info,

    release(handle) {
      const entry = sessions.get(handle);
      sessions.delete(handle);
      if (entry) {
        entry.promise.then(({ session }) => session.release()).catch(() => {});
        releaseCapture(entry.capture);
        entry.capture = null;
      }
    },

    // Resolves to { data: Float32Array, dims, inferenceMs, bridgeMs } or rejects with a message for a person.
    // `frame`: a webcam frame (one fixed size from run to run), which may go through graph capture on WebGPU.
    async run(handle, inputName, outputName, data, dims, extra = null, frame = false) {
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
      if (frame && entry.info.engine === 'webgpu') {
        if (graphCapture === 'off') entry.info.graphCapture = 'off (page parameter graph_capture=off)';
        else if (extra) entry.info.graphCapture = 'not used: the model takes a style code beside the frame';
        else return runFrame(entry, ort, session, inputName, outputName, data, dims);
      }
      return runOn(ort, session, inputName, outputName, data, dims, extra);
    },
  };
}
