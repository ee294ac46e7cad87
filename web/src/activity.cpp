#include "activity.h"

#include <emscripten.h>

#include <algorithm>

namespace web {
namespace {

// Listened to on the window in the capture phase, so nothing the app or the page does hides the input.
EM_JS(void, js_watch_input, (), {
  Module.sfLastInput = 0;
  const mark = () => { Module.sfLastInput = performance.now(); };
  for (const type of ['pointerdown', 'pointermove', 'pointerup', 'mousedown', 'mousemove', 'mouseup', 'wheel',
                      'touchstart', 'touchmove', 'touchend', 'keydown', 'keyup'])
    window.addEventListener(type, mark, { capture: true, passive: true });
});
EM_JS(double, js_last_input_ms, (), { return Module.sfLastInput || 0; });

double g_last_noted_ms = 0;

}  // namespace

bool g_redraw_always = false;

FrameCounts& frame_counts() {
  static FrameCounts counts;
  return counts;
}

void watch_input() { js_watch_input(); }
void note_activity() { g_last_noted_ms = emscripten_get_now(); }
double last_activity_ms() { return std::max(g_last_noted_ms, js_last_input_ms()); }

}  // namespace web
