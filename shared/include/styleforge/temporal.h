// Temporal noise reduction for a stream of frames of one scene (the web app's webcam "Steady" option). Style
// networks amplify a camera's sensor noise: a still scene whose frames differ only by noise comes out as a picture
// that shimmers from frame to frame (measured in web/README.md: about ten times the camera's own change for the
// shipped styles). Averaging the frames over time where the scene is still, and not where it moves, removes most of
// that noise before the network sees it.
//
// Per pixel, how much the scene moved is the mean absolute change of R, G and B from the previous frame, averaged
// over a (2 radius + 1)^2 window (the noise's spread averages out there, motion does not). The frame's noise
// floor is 1.5 x the median of that over the frame plus half a level (most of a webcam picture is still), capped
// at max_floor levels so that a moving camera, where the median is motion, is not taken for noise. Where the
// change is within the floor, the pixel's running mean moves still_weight of the way to the new frame (noise std
// x sqrt(w / (2 - w)): x0.23 at 0.1); where it exceeds the floor by motion_span levels or more, the new frame is
// taken as it is (no trails behind moving things); in between the weight ramps linearly. Changes smaller than the
// floor are smoothed like noise: a slow pan over a flat wall lags by up to the floor (a few levels).
#pragma once
#include <vector>

#include "styleforge/image.h"

namespace styleforge {

struct TemporalOptions {
  float still_weight = 0.1f;  // 0 < w <= 1; 1 = no smoothing
  float motion_span = 4.0f;   // levels (0..255) above the floor at which a pixel counts as moving
  float max_floor = 6.0f;     // levels; the largest noise floor believed
  int radius = 2;             // the motion window's half size
};

class TemporalDenoiser {
 public:
  explicit TemporalDenoiser(TemporalOptions options = {}) : options_(options) {}
  // The frame to use in place of `frame` (same size; alpha copied). The first frame, and a frame of another size
  // than the previous one, are returned as they are and start a new running mean.
  Image next(const Image& frame);
  void reset();
  float noise_floor() const { return floor_; }  // of the last frame, in levels (0 before the second frame)

 private:
  TemporalOptions options_;
  Image previous_;           // the last frame as it came
  std::vector<float> mean_;  // running mean per pixel, R G B
  float floor_ = 0;
};

}  // namespace styleforge
