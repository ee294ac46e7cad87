// The camera, through getUserMedia: a hidden <video> element plays the stream; the frame loop asks whether a new
// camera frame has arrived and copies the current one, scaled, into an Image. Where the browser can (Chromium's
// MediaStreamTrackProcessor), frames are read as they come and copied as RGBA, and the app scales them
// (styleforge::scale_frame); elsewhere the <video> is drawn into a 2D canvas and read back (requestVideoFrameCallback
// counts the frames). Both are synchronous for the frame loop.
//
// Nothing here blocks: start() returns at once and state() says when the camera is on or why it is not (no camera,
// permission refused, a page without a secure context, the camera in use). The camera also stops by itself when
// the page is hidden or the stream ends (unplugged), with the reason in state().
#pragma once
#include <string>

#include "styleforge/image.h"

namespace web {

struct CameraState {
  enum class Phase { Off, Starting, On, Failed } phase = Phase::Off;
  std::string message;  // why it failed or stopped by itself, for a person; empty otherwise
  int width = 0, height = 0;  // the stream's frame size once on
  int frames = 0;             // camera frames presented since start(): a new value means a new frame
  std::string label;          // the camera's name, when the browser gives it
};

void camera_start();  // asks for the camera (the browser may show its permission prompt)
void camera_stop();   // stops every track: the camera light goes off
CameraState camera_state();

// Copies the current camera frame, scaled to width x height (and mirrored left-right when `mirror`), into `out`.
// Returns false when no frame is available yet.
bool camera_grab(int width, int height, bool mirror, styleforge::Image& out);

}  // namespace web
