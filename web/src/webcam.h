// Live webcam stylization, the Stylize tab's Webcam mode: camera frames (camera_bridge.h), scaled so the longer side
// is `frame_side`, run one at a time through the chosen style's session (the next frame is taken only when the
// previous one is shown, so nothing queues up and the picture is never late by more than one frame), with the
// Stylize tab's strength and colour options applied as for photos. Reports frames per second, time per frame and
// the engine; saves the current stylized frame as PNG. Also measures flicker: the mean absolute change between
// consecutive inputs and between consecutive outputs while the style and settings stay the same.
#pragma once
#include <deque>
#include <string>

#include "styleforge/image.h"
#include "styleforge/result.h"
#include "styleforge/temporal.h"
#include "texture.h"

namespace web {

class App;
struct StylizeOptions;

// What the Webcam's frames are made with, as its status and read-out name it: the id of the manifest entry that runs
// for a gallery style (its fast network's when Fast is chosen and it has one), or the person's style image's id.
std::string webcam_model_key(App& app, const StylizeOptions& options);

class Webcam {
 public:
  // Camera on/off. stop() keeps the last picture on screen; `why` (optional) goes to the status line.
  void start(App& app);
  void stop(App& app, const std::string& why = "");
  // One UI frame while the Webcam mode is on screen: follows the camera's state, and when no frame is being
  // stylized and the camera has a new one, grabs it and starts the model on it.
  void tick(App& app, const StylizeOptions& options);
  void set_paused(bool paused);
  styleforge::Status snapshot(App& app);    // the stylized frame as PNG, through the browser's download
  styleforge::Status save_input(App& app);  // the camera frame it was made from (automation: tests compare them)

  bool camera_active() const { return phase_ == Phase::Starting || phase_ == Phase::On; }
  const char* phase_name() const;
  const std::string& camera_message() const { return camera_message_; }
  const std::string& camera_label() const { return camera_label_; }
  int camera_width() const { return camera_width_; }
  int camera_height() const { return camera_height_; }
  bool paused() const { return paused_; }
  bool in_flight() const { return in_flight_; }  // a frame is being stylized (possibly one to be dropped)
  bool has_output() const { return !output_.empty(); }
  const styleforge::Image& input() const { return input_; }  // the frame the model saw (after Steady)
  const styleforge::Image& output() const { return output_; }
  const Texture& input_texture() const { return input_tex_; }
  const Texture& output_texture() const { return output_tex_; }
  int frames_done() const { return frames_done_; }
  int frames_skipped() const { return frames_skipped_; }  // camera frames that arrived while one was being stylized
  const std::string& output_model() const { return output_model_; }  // webcam_model_key of the frame on screen
  const std::string& output_network() const { return output_network_; }  // "quality" or "fast"
  const std::string& engine() const { return engine_; }
  // WebGPU: graph capture's state for the current style's session, and how many frames it ran (SessionInfo).
  const std::string& graph_capture() const { return graph_capture_; }
  int captured_frames() const { return captured_frames_; }

  // Over the last few frames (up to kWindow): frames per second (completions), milliseconds from grabbing a frame
  // to showing it, and session.run's share of them. 0 before two frames are done.
  double fps() const;
  double ms_per_frame() const;
  double inference_ms() const;
  // The rest of a frame's interval (issue 10: every millisecond accounted for): copying the camera frame and making
  // the model's input, and the wait from showing a frame to grabbing the next (UI frames, the camera's next frame).
  double grab_ms() const;
  double wait_ms() const;
  // The read-out the panel draws on two lines, e.g. "4.2 fps · 236 ms a frame" and "model 221 ms · wasm ·
  // 320x240"; readout() is both joined by " · ".
  std::string readout_speed() const;
  std::string readout_detail() const;
  std::string readout() const;

  // Flicker since the style or a setting last changed: pairs of consecutive frames compared, and the mean absolute
  // frame-to-frame change (0..255, over R, G, B) of the camera frames and of the stylized frames.
  int flicker_series() const { return flicker_series_; }  // raised each time a series starts
  int flicker_pairs() const { return flicker_pairs_; }
  double input_change() const { return flicker_pairs_ ? input_change_sum_ / flicker_pairs_ : 0; }
  double output_change() const { return flicker_pairs_ ? output_change_sum_ / flicker_pairs_ : 0; }

  int frame_side = 320;  // longest side of the stylized frames (px); the camera's frame is scaled down to it
  bool mirror = true;    // show the camera as a mirror shows a face (what people expect of a front camera)
  // Temporal noise reduction of the camera frames before the model sees them, where the scene is still
  // (styleforge::TemporalDenoiser): style networks amplify sensor noise into flicker (measured in web/README.md);
  // moving parts are taken as they come.
  bool steady = true;

 private:
  enum class Phase { Off, Starting, On, Failed };
  struct Timing {
    double done_at = 0, total_ms = 0, inference_ms = 0, grab_ms = 0, wait_ms = 0;
  };
  static constexpr size_t kWindow = 10;
  void reset_measures();
  double window_mean(double Timing::*field) const;  // over timings_

  Phase phase_ = Phase::Off;
  std::string camera_message_, camera_label_;
  int camera_width_ = 0, camera_height_ = 0;
  int last_camera_frame_ = -1;
  bool paused_ = false;
  bool in_flight_ = false;
  int generation_ = 0;  // raised by start/stop: a frame finishing after them is dropped
  std::string failed_model_;  // a style that failed on a frame: not retried until the style changes or Start
  styleforge::Image input_, output_;
  Texture input_tex_, output_tex_;
  int frames_done_ = 0, frames_skipped_ = 0, snapshots_ = 0;
  std::string output_model_, output_network_, engine_, graph_capture_;
  int captured_frames_ = 0;
  std::deque<Timing> timings_;
  std::string timing_model_;  // the style timings_ measures
  // Flicker measure: what the previous frame was made with, so a change of style or setting starts a new series.
  std::string series_key_;
  styleforge::Image previous_input_, previous_output_;
  styleforge::TemporalDenoiser steadier_;  // Steady
  int flicker_series_ = 0, flicker_pairs_ = 0;
  double input_change_sum_ = 0, output_change_sum_ = 0;
};

}  // namespace web
