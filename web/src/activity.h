// When the person last did something on the page (mouse, touch, pen, wheel, keys), the canvas last changed size,
// or the automation API last changed the app: the frame loop draws every frame for a while after any of them, and
// draws less often while a model runs otherwise (main.cpp).
#pragma once

namespace web {

void watch_input();         // installs the page's input listeners; once, at start
void note_activity();       // a canvas resize, an automation call
double last_activity_ms();  // on the clock of emscripten_get_now(); 0 before anything happened

// The frame loop's record: UI frames drawn, and animation frames it let pass undrawn while a model ran.
struct FrameCounts {
  long drawn = 0, rested = 0;
};
FrameCounts& frame_counts();
// True: draw every animation frame even while a model runs (automation only: benchmarks compare both).
extern bool g_redraw_always;

}  // namespace web
