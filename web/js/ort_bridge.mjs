// The JS half of web/src/ort_backend.cpp: ONNX Runtime Web sessions keyed by small integer handles, so that C++
// holds no JS objects. Installed as globalThis.sfOrt by boot.mjs; every call returns at once (runs are promises
// whose results boot's EM_JS glue copies into the wasm heap).
//
// Engine choice: 'wasm' runs on the CPU; 'webgpu' requires a WebGPU adapter and fails without one; 'auto' tries
// WebGPU and falls back to wasm, recording why (no navigator.gpu, no adapter, or the session creation error).

const describeError = (error) => (error && error.message ? error.message : String(error));

export function installOrtBridge(ort, { threads, proxy }) {
  const isolated = globalThis.crossOriginIsolated === true;
  const cores = navigator.hardwareConcurrency || 1;
  let note = '';
  let numThreads;
  if (!isolated) {
    // Without COOP/COEP there is no SharedArrayBuffer, hence no wasm threads.
    numThreads = 1;
    note = 'This page is not cross-origin isolated (the host sends no COOP/COEP headers), so models run on one ' +
           'thread. scripts/serve sends those headers and enables WASM threads.';
  } else if (threads > 0) {
    numThreads = threads;
  } else {
    // ONNX Runtime would pick 1 thread on a 2-core machine; set the count ourselves (at most 4, leave one core).
    numThreads = Math.max(1, Math.min(4, cores > 2 ? cores - 1 : cores));
  }
  ort.env.wasm.wasmPaths = new URL('../ort/', import.meta.url).href;
  ort.env.wasm.numThreads = numThreads;
  ort.env.wasm.proxy = proxy;
  ort.env.logLevel = 'error';

  let webgpuStatus = 'checking...';
  let adapterProblem = null;  // null: an adapter exists; otherwise why WebGPU cannot be used
  const adapterCheck = (async () => {
    if (!navigator.gpu) {
      adapterProblem = 'this browser has no WebGPU (navigator.gpu is missing)';
    } else {
      try {
        const adapter = await navigator.gpu.requestAdapter();
        if (!adapter) adapterProblem = 'the browser found no WebGPU adapter (GPU blocked or unsupported)';
        else {
          const info = adapter.info || {};
          webgpuStatus = 'available (adapter: ' + ([info.vendor, info.architecture, info.description]
              .filter((x) => x).join(' ') || 'unnamed') + ')';
        }
      } catch (error) {
        adapterProblem = 'requesting a WebGPU adapter failed: ' + describeError(error);
      }
    }
    if (adapterProblem) webgpuStatus = 'not available: ' + adapterProblem;
  })();

  const sessions = new Map();  // handle -> { info, promise }
  const options = (engine) => ({ executionProviders: [engine], graphOptimizationLevel: 'all' });

  async function create(url, preference, info) {
    const started = performance.now();
    let session = null;
    if (preference !== 'wasm') {
      await adapterCheck;
      if (adapterProblem) {
        if (preference === 'webgpu') throw new Error('WebGPU was chosen, but ' + adapterProblem + '. Choose Auto or WASM.');
        info.fallback = adapterProblem;
      } else {
        try {
          session = await ort.InferenceSession.create(url, options('webgpu'));
          info.engine = 'webgpu';
        } catch (error) {
          if (preference === 'webgpu') throw new Error('WebGPU could not run ' + url + ': ' + describeError(error));
          info.fallback = 'creating the WebGPU session failed: ' + describeError(error);
        }
      }
    }
    if (!session) {
      session = await ort.InferenceSession.create(url, options('wasm'));
      info.engine = 'wasm';
    }
    info.createMs = performance.now() - started;
    return session;
  }

  globalThis.sfOrt = {
    runtimeInfo: () => ({
      version: ort.env.versions ? ort.env.versions.web || ort.env.versions.common : '',
      threads: numThreads, crossOriginIsolated: isolated, proxy: !!proxy, webgpu: webgpuStatus, note,
    }),

    createSession(handle, url, preference) {
      const info = { state: 'loading', engine: '', fallback: '', createMs: 0, error: '' };
      const promise = create(url, preference, info);
      promise.then(() => { info.state = 'ready'; },
                   (error) => {
                     info.state = 'failed';
                     info.error = 'could not load the model ' + url + ': ' + describeError(error);
                   });
      sessions.set(handle, { info, promise });
    },

    sessionInfo: (handle) => (sessions.get(handle) || { info: { state: 'failed', error: 'no such session' } }).info,

    release(handle) {
      const entry = sessions.get(handle);
      sessions.delete(handle);
      if (entry) entry.promise.then((session) => session.release()).catch(() => {});
    },

    // Resolves to { data: Float32Array, dims, inferenceMs, bridgeMs } or rejects with a message for a person.
    async run(handle, inputName, outputName, data, dims) {
      const entry = sessions.get(handle);
      if (!entry) throw new Error('the model was unloaded (engine changed?); run it again');
      let session;
      try {
        session = await entry.promise;
      } catch (error) {
        throw new Error(entry.info.error || describeError(error));
      }
      if (!session.inputNames.includes(inputName))
        throw new Error(`the model has no input '${inputName}' (it has: ${session.inputNames.join(', ')}); fix the manifest`);
      if (!session.outputNames.includes(outputName))
        throw new Error(`the model has no output '${outputName}' (it has: ${session.outputNames.join(', ')}); fix the manifest`);
      const t0 = performance.now();
      const feeds = { [inputName]: new ort.Tensor('float32', data, dims) };
      const t1 = performance.now();
      const results = await session.run(feeds, [outputName]);
      const t2 = performance.now();
      const out = results[outputName];
      if (out.type !== 'float32') throw new Error(`output '${outputName}' is ${out.type}, expected float32`);
      const outData = await out.getData();  // downloads from the GPU when WebGPU ran
      const t3 = performance.now();
      return { data: outData, dims: out.dims, inferenceMs: t2 - t1 + (t3 - t2), bridgeMs: t1 - t0 };
    },
  };
}
