// Touch for the ImGui canvas. Emscripten 3.1.6's GLFW takes touch events but reads no position from them (it only
// fills coordinates for SDL), so a tap clicks wherever the pointer last was and a drag moves nothing. This turns
// the first finger into mouse events on the canvas, which GLFW hands to ImGui: taps click, drags move sliders, the
// before/after divider and a picture at 100%. Other fingers are ignored (the picture's 100% button zooms).
export function installTouchAsMouse(canvas) {
  let finger = null;  // identifier of the touch being followed
  // Mouse events go out through one queue, in the order the touches came: a quick second tap must not overtake
  // the first one's delayed press.
  let queue = Promise.resolve();
  const later = (step) => { queue = queue.then(step); };
  // Two animation frames: ImGui sees the pointer arrive before the press. Some widgets (tabs) only take a press
  // on an item that was hovered in the previous frame, and a finger, unlike a mouse, arrives without moving there.
  const twoFrames = () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
  const send = (type, at) => canvas.dispatchEvent(new MouseEvent(type, {
    clientX: at.clientX, clientY: at.clientY, screenX: at.screenX, screenY: at.screenY,
    button: 0, buttons: type === 'mouseup' ? 0 : 1, bubbles: true, cancelable: true, view: window,
  }));
  const where = (touch) => ({ clientX: touch.clientX, clientY: touch.clientY, screenX: touch.screenX, screenY: touch.screenY });
  const followed = (event) => [...event.changedTouches].find((t) => t.identifier === finger);
  // Registered before GLFW's own listeners (boot.mjs runs before the app), so stopping propagation keeps GLFW from
  // also handling the touch at the stale position; preventDefault stops the page scrolling and the emulated clicks.
  const listen = (type, handler) => canvas.addEventListener(type, (event) => {
    event.stopImmediatePropagation();
    event.preventDefault();
    handler(event);
  }, { capture: true, passive: false });
  listen('touchstart', (event) => {
    if (finger !== null) return;
    const touch = event.changedTouches[0];
    finger = touch.identifier;
    const at = where(touch);
    later(() => send('mousemove', at));
    later(twoFrames);
    later(() => send('mousedown', at));
  });
  listen('touchmove', (event) => {
    const touch = followed(event);
    if (touch) {
      const at = where(touch);
      later(() => send('mousemove', at));
    }
  });
  const end = (event) => {
    const touch = followed(event);
    if (!touch) return;
    const at = where(touch);
    later(() => send('mouseup', at));
    finger = null;
  };
  listen('touchend', end);
  listen('touchcancel', end);
}
