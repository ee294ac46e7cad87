// Page start-up: configures ONNX Runtime Web (served from ../ort/, this origin only; WASM-only build first), installs the bridge the
// C++ app calls (globalThis.sfOrt), defines the automation API (window.styleforge), then loads the app.
//
// URL parameters (for benchmarks and tests; a person needs none):
//   threads=N  WASM threads (only when cross-origin isolated; default: chosen from the core count)
//   proxy=0    run WASM inference on the page's thread instead of a worker
//   sw=0       no service worker (no offline copies, no isolation on hosts without COOP/COEP)
//   webgpu=software-ok, slow_ms=N   let Auto try a software WebGPU adapter; Auto's first-run deadline in ms
//   warmup=off               no warm-up run after a WebGPU session is created (to measure what it saves)
//   graph_capture=off|fail   webcam frames on WebGPU without graph capture; or with a capture session that fails
//                            to be created (tests of the fallback)
import * as ortWasm from '../ort/ort.wasm.min.mjs';
import { installOrtBridge } from './ort_bridge.mjs';
import { startServiceWorker } from './service_worker.mjs';
import { installTouchAsMouse } from './touch_input.mjs';

const params = new URLSearchParams(location.search);
// First: the service worker may reload the page once to make it cross-origin isolated (threads), which decides
// how ONNX Runtime is configured below.
const serviceWorker = await startServiceWorker({ enabled: params.get('sw') !== '0' });
installOrtBridge({
  threads: Number.parseInt(params.get('threads') || '0', 10) || 0,
  proxy: params.get('proxy') !== '0',
  // The WASM-only build of ONNX Runtime Web (14 MB wasm); the WebGPU-capable one (28 MB) loads only when WebGPU runs.
  wasmRuntime: ortWasm,
  loadWebGpu: () => import('../ort/ort.min.mjs'),
  // Tests of Auto's slow-GPU fallback (browser.slow_webgpu): a software adapter counts and the deadline is short.
  allowSoftwareAdapter: params.get('webgpu') === 'software-ok',
  slowFirstRunMs: Number.parseInt(params.get('slow_ms') || '0', 10) || undefined,
  graphCapture: params.get('graph_capture') || 'on',
  warmUpSessions: params.get('warmup') !== 'off',
});

const canvas = document.getElementById('canvas');
const bootMessage = document.getElementById('boot-message');
const showBootError = (text) => {
  bootMessage.textContent = text;
  bootMessage.classList.add('failed');
  bootMessage.hidden = false;
};

let resolveReady;
const ready = new Promise((resolve) => { resolveReady = resolve; });

window.Module = {
  canvas,
  print: (text) => console.log(text),
  printErr: (text) => console.warn(text),
  onRuntimeInitialized: () => { bootMessage.hidden = true; resolveReady(); },
  onAbort: (what) => showBootError('styleforge stopped: ' + what + '. Reload the page; if it happens again, ' +
                                   'use a browser with WebAssembly and WebGL2.'),
};
// No browser context menu over the app; touches become mouse events ImGui understands.
canvas.addEventListener('contextmenu', (event) => event.preventDefault());
installTouchAsMouse(canvas);

// The automation API: the same C++ functions the buttons call (web/src/automation.cpp).
const call = (name, ...args) =>
  window.Module.ccall(name, 'string', args.map(() => 'string'), args.map((a) => String(a)));
window.styleforge = {
  ready,
  serviceWorker,  // what web/js/service_worker.mjs did: 'registered', 'not registered: why', ...
  status: () => JSON.parse(call('sf_api_status')),
  // Widget rectangles of the last drawn frame in CSS pixels (read-only; layout tests).
  layout: () => JSON.parse(call('sf_api_layout')),
  set: (key, value) => call('sf_api_set', key, value),
  action: (name) => call('sf_api_action', name),
  // Resolves with the status once predicate(status) holds; rejects after timeoutMs with the last status.
  waitFor(predicate, timeoutMs = 60000) {
    const started = performance.now();
    return new Promise((resolve, reject) => {
      const poll = () => {
        const s = window.styleforge.status();
        if (predicate(s)) resolve(s);
        else if (performance.now() - started > timeoutMs)
          reject(new Error('timed out; last status: ' + JSON.stringify(s)));
        else setTimeout(poll, 50);
      };
      poll();
    });
  },
};

const script = document.createElement('script');
script.src = new URL('styleforge.js', import.meta.url).href;
script.onerror = () => showBootError('The app (app/styleforge.js) is missing: build the site with ' +
                                     '"cmake --build --preset web" or run scripts/serve.');
document.body.appendChild(script);
