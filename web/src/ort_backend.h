// styleforge::Backend on ONNX Runtime Web, through the JS bridge in web/js/ort_bridge.mjs (globalThis.sfOrt).
//
// Nothing here blocks and nothing uses ASYNCIFY. load() starts session creation in JS and returns at once; run()
// copies the input out of the wasm heap and starts session.run(); when the promise settles, JS mallocs the output,
// calls sf_ort_job_done() (which only queues it) and poll_ort_jobs(), called once per frame, hands it to `done`.
// A run issued while the session is still being created waits for it in JS; a failed creation fails the run.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "styleforge/backend.h"

namespace web {

// What the person asked for. Auto uses WebGPU on a hardware adapter and WASM otherwise, saying why.
enum class EnginePreference { Auto = 0, WebGpu = 1, Wasm = 2 };
const char* to_string(EnginePreference preference);

struct SessionInfo {
  enum class State { NotLoaded, Loading, Ready, Failed } state = State::NotLoaded;
  std::string engine;           // "webgpu" or "wasm": what actually runs the model
  std::string fallback_reason;  // why WebGPU was not used (empty when it was, or was not asked for)
  double create_ms = 0;         // session creation, including the model download
  std::string error;            // why creation failed
  // WebGPU only: the run on zeros right after creation that compiles the shaders (style models; 0: none ran).
  double warmup_ms = 0;
  std::string warmup_error;     // a failed warm-up is not fatal; the first real run says what is wrong
  // Webcam frames on WebGPU: "" (not tried), "creating", "on", "failed: why", "off ...", "not used: why".
  std::string graph_capture;
  int captured_frames = 0;      // frames that ran through the captured session
};

// Timings of the most recent completed run on this backend.
struct RunTiming {
  double inference_ms = 0;  // session.run() alone
  double bridge_ms = 0;     // copies between the wasm heap and ORT tensors, on the JS side
};

class OrtBackend : public styleforge::Backend {
 public:
  explicit OrtBackend(EnginePreference preference);
  ~OrtBackend() override;  // releases the JS session; runs still in flight complete with an error
  OrtBackend(const OrtBackend&) = delete;
  OrtBackend& operator=(const OrtBackend&) = delete;

  std::string name() const override;
  styleforge::Status load(const styleforge::ModelEntry& entry, const std::string& url) override;
  void run(const styleforge::Tensor& input, Done done) override;
  // A webcam frame: as run(), but the frames of one size may go through a graph-captured session on WebGPU.
  void run_frame(const styleforge::Tensor& input, Done done);
  // The model's second input, when its manifest entry names one (style_input: an arbitrary-style transformer's code).
  // A model with such an input refuses to run until it is set.
  styleforge::Status set_conditioning(const std::string& input_name, const styleforge::Tensor& value) override;
  void clear_conditioning() override;

  SessionInfo info() const;
  RunTiming last_timing() const { return *timing_; }

 private:
  EnginePreference preference_;
  int handle_ = 0;  // the JS session's key; 0 before load()
  std::string input_name_, output_name_;
  std::string conditioning_input_;  // the manifest's style_input name; empty for one-input models
  std::vector<float> conditioning_; // its {1, N} values, fed with every run
  std::shared_ptr<RunTiming> timing_ = std::make_shared<RunTiming>();
  void start_run(const styleforge::Tensor& input, Done done, bool frame);
};

// Delivers completed runs to their `done` callbacks. Call once per frame.
int poll_ort_jobs();  // returns how many runs it handed over
// Runs in flight (for "busy" indicators and tests).
int ort_jobs_in_flight();

// How ONNX Runtime Web was configured on this page.
struct RuntimeInfo {
  int threads = 1;
  bool cross_origin_isolated = false;
  bool proxy = false;            // wasm inference in a worker
  std::string webgpu_status;     // "available (adapter: ...)" or the reason it is not
  std::string ort_version;
  std::string note;              // e.g. why threads are off
  bool webgpu_runtime_loaded = false;  // the 28 MB WebGPU-capable ONNX Runtime build was downloaded
};
RuntimeInfo runtime_info();

}  // namespace web
