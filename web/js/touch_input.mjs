// Touch for the ImGui canvas. Emscripten 3.1.6's GLFW takes touch events but reads no position from them (it only
// fills coordinates for SDL), so a tap clicks wherever the pointer last was and a drag moves nothing. This turns
// the first finger into mouse events on the canvas, which GLFW hands to ImGui: taps click, drags move sliders and
// the before/after divider. Other fingers are ignored (pinch zoom is the picture's 100% button instead).
export function installTouchAsMouse(canvas) {
  let finger = null;  // identifier of the touch being followed
  let pressed = Promise.resolve();  // settles once the finger's mousedown has been sent
  // Two animation frames: ImGui sees the pointer arrive before the press. Some widgets (tabs) only take a press
  // on an item that was hovered in the previous frame, and a finger, unlike a mouse, arrives without moving there.
  const afterTwoFrames = () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
  const send = (type, touch) => canvas.dispatchEvent(new MouseEvent(type, {
    clientX: touch.clientX, clientY: touch.clientY, screenX: touch.screenX, screenY: touch.screenY,
    button: 0, buttons: type === 'mouseup' ? 0 : 1, bubbles: true, cancelable: true, view: window,
  }));
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
    send('mousemove', touch);
    const at = { clientX: touch.clientX, clientY: touch.clientY, screenX: touch.screenX, screenY: touch.screenY };
    pressed = afterTwoFrames().then(() => send('mousedown', at));
  });
  listen('touchmove', (event) => {
    const touch = followed(event);
    if (touch) send('mousemove', touch);
  });
  const end = (event) => {
    const touch = followed(event);
    if (!touch) return;
    const at = { clientX: touch.clientX, clientY: touch.clientY, screenX: touch.screenX, screenY: touch.screenY };
    pressed.then(() => send('mouseup', at));
    finger = null;
  };
  listen('touchend', end);
  listen('touchcancel', end);
}
