#include "ort_backend.h"

#include <emscripten.h>

#include <algorithm>
#include <cstdlib>
#include <deque>
#include <map>

#include <nlohmann/json.hpp>

namespace web {
namespace {

struct Job {
  styleforge::Backend::Done done;
  std::shared_ptr<RunTiming> timing;
};
struct Finished {
  int id;
  styleforge::Result<styleforge::Tensor> result;
  RunTiming timing;
};
std::map<int, Job> g_jobs;
std::deque<Finished> g_finished;
int g_next_job = 1;
int g_next_handle = 1;

// Returns a malloc'd UTF-8 string; the caller frees it.
EM_JS(char*, js_ort_call_json, (const char* method_ptr, int handle), {
  const bridge = globalThis.sfOrt;
  let text;
  if (!bridge) {
    text = JSON.stringify({error: 'the ONNX Runtime bridge did not load (see the browser console)'});
  } else {
    text = JSON.stringify(bridge[UTF8ToString(method_ptr)](handle));
  }
  const size = lengthBytesUTF8(text) + 1;
  const ptr = _malloc(size);
  stringToUTF8(text, ptr, size);
  return ptr;
});

// `warmup_ptr`: JSON of the warm-up input ("null" for none).
EM_JS(void, js_ort_create, (int handle, const char* url_ptr, int preference, const char* warmup_ptr), {
  const prefs = ['auto', 'webgpu', 'wasm'];
  if (globalThis.sfOrt)
    globalThis.sfOrt.createSession(handle, UTF8ToString(url_ptr), prefs[preference], JSON.parse(UTF8ToString(warmup_ptr)));
});

EM_JS(void, js_ort_release, (int handle), {
  if (globalThis.sfOrt) globalThis.sfOrt.release(handle);
});

// Copies the input out of the heap before anything asynchronous happens (memory growth would detach the view),
// and copies the output back in only once the promise has settled.
// `cond_name_ptr` (0: none) names the conditioning input fed beside the image, {1, cond_count} floats at cond_ptr.
EM_JS(void, js_ort_run, (int handle, int job, const char* input_name_ptr, const char* output_name_ptr,
                         const float* data, int count, const int* dims_ptr, int ndims, const char* cond_name_ptr,
                         const float* cond_ptr, int cond_count, int frame), {
  const fail = (text) => {
    const size = lengthBytesUTF8(text) + 1;
    const message = _malloc(size);
    stringToUTF8(text, message, size);
    _sf_ort_job_done(job, 0, 0, 0, 0, message, 0, 0);
  };
  const bridge = globalThis.sfOrt;
  if (!bridge) { fail('the ONNX Runtime bridge did not load (see the browser console)'); return; }
  const t0 = performance.now();
  const input = HEAPF32.slice(data >> 2, (data >> 2) + count);
  const dims = Array.from(HEAP32.subarray(dims_ptr >> 2, (dims_ptr >> 2) + ndims));
  const extra = cond_name_ptr ? { name: UTF8ToString(cond_name_ptr), dims: [1, cond_count],
                                  data: HEAPF32.slice(cond_ptr >> 2, (cond_ptr >> 2) + cond_count) } : null;
  const copyInMs = performance.now() - t0;
  bridge.run(handle, UTF8ToString(input_name_ptr), UTF8ToString(output_name_ptr), input, dims, extra, frame !== 0)
      .then((out) => {
        const t1 = performance.now();
        const ptr = _malloc(Math.max(4, out.data.length * 4));
        HEAPF32.set(out.data, ptr >> 2);
        const shape = _malloc(4 * Math.max(1, out.dims.length));
        HEAP32.set(out.dims, shape >> 2);
        const bridgeMs = copyInMs + out.bridgeMs + (performance.now() - t1);
        _sf_ort_job_done(job, ptr, out.data.length, shape, out.dims.length, 0, out.inferenceMs, bridgeMs);
      })
      .catch((error) => fail(error && error.message ? error.message : String(error)));
});

}  // namespace

const char* to_string(EnginePreference preference) {
  switch (preference) {
    case EnginePreference::WebGpu: return "webgpu";
    case EnginePreference::Wasm: return "wasm";
    case EnginePreference::Auto: break;
  }
  return "auto";
}

OrtBackend::OrtBackend(EnginePreference preference) : preference_(preference) {}

OrtBackend::~OrtBackend() {
  if (handle_ != 0) js_ort_release(handle_);
}

std::string OrtBackend::name() const {
  SessionInfo i = info();
  return i.engine.empty() ? std::string("onnxruntime-web (") + to_string(preference_) + ")" : i.engine;
}

styleforge::Status OrtBackend::load(const styleforge::ModelEntry& entry, const std::string& url) {
  if (handle_ != 0) return styleforge::Status::failure("internal: this backend already holds a model");
  if (entry.input.name.empty() || entry.output.name.empty())
    return styleforge::Status::failure("model '" + entry.id + "': the manifest names no input or output tensor");
  input_name_ = entry.input.name;
  output_name_ = entry.output.name;
  conditioning_input_ = entry.style_input.name;
  conditioning_.clear();
  handle_ = g_next_handle++;
  // Image models warm up on a 64 px square of zeros (rounded to the model's size multiple): small enough to cost
  // little, and a valid input, so every kernel's shader is compiled once before the person's picture.
  nlohmann::json warmup = nullptr;
  if (entry.kind == styleforge::ModelKind::Style || entry.kind == styleforge::ModelKind::ArbitraryStyle) {
    const int m = std::max(1, entry.size_multiple);
    const int side = (64 + m - 1) / m * m;
    warmup = {{"input", input_name_}, {"output", output_name_}, {"dims", {1, 3, side, side}}, {"extra", nullptr}};
    if (!conditioning_input_.empty() && entry.code_size > 0)
      warmup["extra"] = {{"name", conditioning_input_}, {"dims", {1, entry.code_size}}};
  }
  js_ort_create(handle_, url.c_str(), int(preference_), warmup.dump().c_str());
  return styleforge::Status::success();
}

void OrtBackend::run(const styleforge::Tensor& input, Done done) { start_run(input, std::move(done), false); }

void OrtBackend::run_frame(const styleforge::Tensor& input, Done done) { start_run(input, std::move(done), true); }

void OrtBackend::start_run(const styleforge::Tensor& input, Done done, bool frame) {
  if (handle_ == 0) {
    done(styleforge::Result<styleforge::Tensor>::failure("internal: run() before load()"));
    return;
  }
  if (input.element_count() != int64_t(input.data.size()) || input.data.empty()) {
    done(styleforge::Result<styleforge::Tensor>::failure("internal: input tensor data does not match its shape"));
    return;
  }
  if (!conditioning_input_.empty() && conditioning_.empty()) {
    done(styleforge::Result<styleforge::Tensor>::failure("internal: the model's input '" + conditioning_input_ +
                                                         "' (its style code) was not set before the run"));
    return;
  }
  std::vector<int> dims(input.shape.begin(), input.shape.end());
  const int job = g_next_job++;
  g_jobs[job] = Job{std::move(done), timing_};
  // JS copies both inputs out of the heap before run() returns, so a later set_conditioning cannot change this run.
  js_ort_run(handle_, job, input_name_.c_str(), output_name_.c_str(), input.data.data(), int(input.data.size()),
             dims.data(), int(dims.size()), conditioning_.empty() ? nullptr : conditioning_input_.c_str(),
             conditioning_.data(), int(conditioning_.size()), frame ? 1 : 0);
}

styleforge::Status OrtBackend::set_conditioning(const std::string& input_name, const styleforge::Tensor& value) {
  if (conditioning_input_.empty() || input_name != conditioning_input_)
    return Backend::set_conditioning(input_name, value);  // the model's manifest entry names no such input
  const std::string problem = styleforge::check_conditioning(value);
  if (!problem.empty()) return styleforge::Status::failure(problem);
  conditioning_ = value.data;
  return styleforge::Status::success();
}

void OrtBackend::clear_conditioning() { conditioning_.clear(); }

SessionInfo OrtBackend::info() const {
  SessionInfo out;
  if (handle_ == 0) return out;
  char* text = js_ort_call_json("sessionInfo", handle_);
  nlohmann::json j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  std::free(text);
  if (!j.is_object()) {
    out.state = SessionInfo::State::Failed;
    out.error = "internal: unreadable session info";
    return out;
  }
  const std::string state = j.value("state", "");
  out.state = state == "ready"     ? SessionInfo::State::Ready
              : state == "loading" ? SessionInfo::State::Loading
                                   : SessionInfo::State::Failed;
  out.engine = j.value("engine", "");
  out.fallback_reason = j.value("fallback", "");
  out.create_ms = j.value("createMs", 0.0);
  out.error = j.value("error", "");
  out.warmup_ms = j.value("warmupMs", 0.0);
  out.warmup_error = j.value("warmupError", "");
  out.graph_capture = j.value("graphCapture", "");
  out.captured_frames = j.value("capturedFrames", 0);
  return out;
}

int poll_ort_jobs() {
  int handed = 0;
  while (!g_finished.empty()) {
    Finished f = std::move(g_finished.front());
    g_finished.pop_front();
    auto it = g_jobs.find(f.id);
    if (it == g_jobs.end()) continue;
    Job job = std::move(it->second);
    g_jobs.erase(it);
    if (f.result.ok()) *job.timing = f.timing;
    job.done(std::move(f.result));
    ++handed;
  }
  return handed;
}

int ort_jobs_in_flight() { return int(g_jobs.size()); }

RuntimeInfo runtime_info() {
  RuntimeInfo out;
  char* text = js_ort_call_json("runtimeInfo", 0);
  nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
  std::free(text);
  if (!j.is_object()) return out;
  out.threads = j.value("threads", 1);
  out.cross_origin_isolated = j.value("crossOriginIsolated", false);
  out.proxy = j.value("proxy", false);
  out.webgpu_status = j.value("webgpu", "");
  out.ort_version = j.value("version", "");
  out.note = j.value("note", j.value("error", ""));
  out.webgpu_runtime_loaded = j.value("webgpuRuntimeLoaded", false);
  return out;
}

}  // namespace web

// Called from JS when a run settles. Takes ownership of `data`, `dims` and `error` (malloc'd by JS; 0 when absent).
extern "C" EMSCRIPTEN_KEEPALIVE void sf_ort_job_done(int job, float* data, int count, int* dims, int ndims,
                                                     char* error, double inference_ms, double bridge_ms) {
  web::Finished f{job, {}, {inference_ms, bridge_ms}};
  if (error) {
    f.result = styleforge::Result<styleforge::Tensor>::failure(std::string("ONNX Runtime: ") + error);
  } else {
    styleforge::Tensor t;
    t.shape.assign(dims, dims + ndims);
    t.data.assign(data, data + count);
    f.result = styleforge::Result<styleforge::Tensor>::success(std::move(t));
  }
  std::free(data);
  std::free(dims);
  std::free(error);
  web::g_finished.push_back(std::move(f));
}
