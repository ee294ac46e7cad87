#include "camera_bridge.h"

#include <emscripten.h>

#include <cstdlib>

#include <nlohmann/json.hpp>

namespace web {
namespace {

// Module.sfCamera holds the JS side: { phase, message, stream, video, frames, width, height, label, canvas, ... }.
// A start() while one is pending wins: an older getUserMedia answer that arrives late is stopped at once.
EM_JS(void, js_camera_start, (), {
  const cam = Module.sfCamera || (Module.sfCamera = { phase: 'off', message: "", frames: 0, width: 0, height: 0,
                                                      label: "", attempt: 0 });
  const stopStream = () => {
    if (cam.reader) cam.reader.cancel().catch(() => {});
    cam.reader = null;
    cam.latest = null;
    if (cam.stream) cam.stream.getTracks().forEach((track) => track.stop());
    cam.stream = null;
    if (cam.video) cam.video.srcObject = null;
  };
  // Where the browser has MediaStreamTrackProcessor (Chromium), camera frames are read as VideoFrames and copied as
  // RGBA at the camera's size into one of two buffers as they come (cam.latest: the newest whole one); grabbing is
  // then a copy into the app's memory. Reading the <video> back through a 2D canvas instead cost 50-90 ms a frame
  // in headless Chromium here (a GPU readback), as much as the fast network itself (web/README.md). Any failure
  // (no RGBA conversion in an older browser, say) leaves cam.latest empty: the canvas path takes over.
  const startReader = (track) => {
    if (typeof MediaStreamTrackProcessor !== 'function' || !track) return;
    let reader;
    try {
      reader = new MediaStreamTrackProcessor({ track }).readable.getReader();
    } catch (error) {
      return;
    }
    cam.reader = reader;
    let spare = null;
    const pump = async () => {
      while (attempt === cam.attempt && cam.reader === reader) {
        const { value: frame, done } = await reader.read();
        if (done || !frame) return;
        try {
          const width = frame.displayWidth, height = frame.displayHeight;
          const pixels = spare && spare.length === width * height * 4 ? spare : new Uint8Array(width * height * 4);
          await frame.copyTo(pixels, { format: 'RGBA', colorSpace: 'srgb' });
          if (attempt !== cam.attempt || cam.reader !== reader) return;
          spare = cam.latest ? cam.latest.pixels : null;
          cam.latest = { pixels: pixels, width: width, height: height };
          cam.readerFrames++;
          // The <video> is not needed while the reader works; left playing, it decodes and uploads every frame for
          // nothing (in a software-drawn browser that takes CPU from the model). Only once it is on: a pause during
          // play() would reject it.
          if (cam.phase === 'on' && cam.video && !cam.video.paused) cam.video.pause();
        } finally {
          frame.close();
        }
      }
    };
    pump().catch(() => {
      if (cam.reader !== reader) return;
      cam.reader = null;
      cam.latest = null;
      if (cam.video && cam.phase === 'on') cam.video.play().catch(() => {});  // the canvas path needs it playing
    });
  };
  cam.stopStream = stopStream;
  stopStream();
  const attempt = ++cam.attempt;
  cam.phase = 'starting';
  cam.message = "";
  cam.frames = 0;
  cam.readerFrames = 0;
  const fail = (text) => {
    if (attempt !== cam.attempt) return;
    stopStream();
    cam.phase = 'failed';
    cam.message = text;
  };
  if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
    fail(window.isSecureContext === false
             ? "The camera needs a secure page: open this site over https:// (or on localhost). Photos still work."
             : "This browser offers no camera access (no navigator.mediaDevices). Photos still work.");
    return;
  }
  if (!cam.video) {
    const video = document.createElement('video');
    video.muted = true;
    video.playsInline = true;
    video.setAttribute('playsinline', "");
    video.style.display = 'none';
    document.body.appendChild(video);
    cam.video = video;
    // One count per frame the browser presents: the app stylizes a frame only when the count has moved, so a
    // model faster than the camera never runs twice on the same frame.
    const count = () => {
      cam.frames++;
      video.requestVideoFrameCallback(count);
    };
    if (video.requestVideoFrameCallback) video.requestVideoFrameCallback(count);
    else cam.countByTime = true;
    // A hidden page gets no animation frames, so the app cannot stop the camera itself: stop it here.
    document.addEventListener('visibilitychange', () => {
      if (document.hidden && (cam.phase === 'on' || cam.phase === 'starting')) {
        cam.attempt++;
        stopStream();
        cam.phase = 'off';
        cam.message = 'The camera was stopped because the page was hidden. Press Start camera to go on.';
      }
    });
  }
  navigator.mediaDevices.getUserMedia({ audio: false,
                                        video: { width: { ideal: 640 }, height: { ideal: 480 }, facingMode: 'user' } })
      .then((stream) => {
        if (attempt !== cam.attempt) {
          stream.getTracks().forEach((track) => track.stop());
          return;
        }
        cam.stream = stream;
        const track = stream.getVideoTracks()[0];
        cam.label = track ? track.label : "";
        if (track) track.addEventListener('ended', () => {
          if (attempt === cam.attempt && cam.phase === 'on')
            fail('The camera stopped sending pictures (unplugged, or taken by another application).');
        });
        startReader(track);
        cam.video.srcObject = stream;
        return cam.video.play().then(() => {
          if (attempt !== cam.attempt) return;
          cam.width = cam.video.videoWidth;
          cam.height = cam.video.videoHeight;
          cam.phase = 'on';
        });
      })
      .catch((error) => {
        const name = error && error.name ? error.name : "";
        const detail = error && error.message ? ' (' + error.message + ')' : "";
        if (name === 'NotAllowedError' || name === 'SecurityError')
          fail('Camera access was refused. Allow the camera for this site (the camera icon in the address bar or the ' +
               "browser's site settings), then press Start camera. Photos still work.");
        else if (name === 'NotFoundError' || name === 'OverconstrainedError' || name === 'DevicesNotFoundError')
          fail('No camera was found. Connect one and press Start camera. Photos still work.');
        else if (name === 'NotReadableError' || name === 'TrackStartError' || name === 'AbortError')
          fail('The camera could not be started: another application may be using it' + detail + '.');
        else
          fail('The camera could not be started: ' + (name ? name + detail : String(error)) + '.');
      });
});

EM_JS(void, js_camera_stop, (), {
  const cam = Module.sfCamera;
  if (!cam) return;
  cam.attempt++;
  if (cam.stopStream) cam.stopStream();
  cam.phase = 'off';
  cam.message = "";
});

// Returns a malloc'd JSON string; the caller frees it.
EM_JS(char*, js_camera_state, (), {
  const cam = Module.sfCamera;
  let frames = cam ? cam.frames : 0;
  // Without requestVideoFrameCallback (or where it never fires), the playback clock stands in for the frame count.
  if (cam && cam.video && (cam.countByTime || (frames === 0 && cam.video.currentTime > 0.5)))
    frames = Math.floor(cam.video.currentTime * 1000);
  // With the frame reader, its count: a new count then means a new frame in cam.latest.
  if (cam && cam.latest) frames = cam.readerFrames;
  const text = JSON.stringify(cam ? { phase: cam.phase, message: cam.message, width: cam.width, height: cam.height,
                                      frames: frames, label: cam.label }
                                  : { phase: 'off' });
  const size = lengthBytesUTF8(text) + 1;
  const ptr = _malloc(size);
  stringToUTF8(text, ptr, size);
  return ptr;
});

// Draws the current video frame into a width x height canvas (the browser scales it) and copies the RGBA pixels to
// `dest` (width * height * 4 bytes, allocated by the caller). Returns 0 when there is no frame to draw.
EM_JS(int, js_camera_grab, (int width, int height, int mirror, unsigned char* dest), {
  const cam = Module.sfCamera;
  if (!cam || cam.phase !== 'on' || !cam.video || cam.video.readyState < 2) return 0;
  if (!cam.canvas) {
    cam.canvas = document.createElement('canvas');
    cam.context = cam.canvas.getContext('2d', { willReadFrequently: true, alpha: false });
  }
  if (cam.canvas.width !== width) cam.canvas.width = width;
  if (cam.canvas.height !== height) cam.canvas.height = height;
  const context = cam.context;
  context.imageSmoothingEnabled = true;
  context.imageSmoothingQuality = 'medium';
  context.setTransform(mirror ? -1 : 1, 0, 0, 1, mirror ? width : 0, 0);
  context.drawImage(cam.video, 0, 0, width, height);
  const pixels = context.getImageData(0, 0, width, height).data;
  HEAPU8.set(pixels, dest);
  return 1;
});

// The newest frame the reader copied (startReader above): its size, then its RGBA pixels. Called back to back, so
// no new frame can arrive in between (the reader runs only between the page's tasks).
EM_JS(int, js_camera_latest_size, (int* width, int* height), {
  const cam = Module.sfCamera;
  if (!cam || cam.phase !== 'on' || !cam.latest) return 0;
  HEAP32[width >> 2] = cam.latest.width;
  HEAP32[height >> 2] = cam.latest.height;
  return 1;
});
EM_JS(void, js_camera_copy_latest, (unsigned char* dest), { HEAPU8.set(Module.sfCamera.latest.pixels, dest); });

}  // namespace

void camera_start() { js_camera_start(); }
void camera_stop() { js_camera_stop(); }

CameraState camera_state() {
  CameraState out;
  char* text = js_camera_state();
  nlohmann::json j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  std::free(text);
  if (!j.is_object()) return out;
  const std::string phase = j.value("phase", "off");
  out.phase = phase == "on"         ? CameraState::Phase::On
              : phase == "starting" ? CameraState::Phase::Starting
              : phase == "failed"   ? CameraState::Phase::Failed
                                    : CameraState::Phase::Off;
  out.message = j.value("message", "");
  out.width = j.value("width", 0);
  out.height = j.value("height", 0);
  out.frames = j.value("frames", 0);
  out.label = j.value("label", "");
  return out;
}

bool camera_grab(int width, int height, bool mirror, styleforge::Image& out) {
  if (width < 1 || height < 1) return false;
  styleforge::Image frame;
  if (js_camera_latest_size(&frame.width, &frame.height) && frame.width > 0 && frame.height > 0) {
    frame.rgba.resize(size_t(frame.width) * size_t(frame.height) * 4);
    js_camera_copy_latest(frame.rgba.data());
    auto scaled = styleforge::scale_frame(frame, width, height, mirror);
    if (scaled.ok()) {
      out = std::move(scaled.value);
      return true;
    }
  }
  out.width = width;
  out.height = height;
  out.rgba.resize(size_t(width) * height * 4);
  return js_camera_grab(width, height, mirror ? 1 : 0, out.rgba.data()) != 0;
}

}  // namespace web
