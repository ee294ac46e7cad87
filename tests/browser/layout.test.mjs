// browser.layout: the page follows the window and the device pixel ratio. At a phone, a laptop and a desktop size,
// at DPR 1 and 2, after resizing a loaded page: the canvas fills the window, its drawing buffer is CSS size x DPR,
// the font is rasterised at the device size, and every Stylize control lies on screen without overlapping
// another. Touch: a tap toggles a checkbox and a finger drags a slider. Screenshots: layout-<w>x<h>@<dpr>x.png.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { input, openApp } from './harness.mjs';

const SIZES = [[390, 844], [1366, 768], [1920, 1080]];
// The Stylize tab with a photo open: every control a person needs (web/src/stylize_panel.cpp names them).
const CONTROLS = ['open_photo', 'style', 'blend_two', 'strength', 'preserve_colour', 'full_resolution', 'stylize',
                  'download', 'view', 'zoom'];
const FRAME = ['status', 'tab.stylize', 'tab.generate', 'tab.engine', 'picture'];
const BODY_FONT_CSS_PX = 16;

const overlaps = (a, b) => a.x < b.x + b.w - 0.5 && b.x < a.x + a.w - 0.5 && a.y < b.y + b.h - 0.5 && b.y < a.y + a.h - 0.5;

// The layout once the app has drawn a frame at the page's current size.
async function layoutAt(app, width, height) {
  await app.page.setViewportSize({ width, height });
  await app.page.waitForFunction(([w, h]) => {
    const l = window.styleforge.layout();
    return l.css_width === w && l.css_height === h && 'stylize' in l.widgets;
  }, [width, height], { timeout: 10000 });
  await app.page.waitForTimeout(100);  // two more frames: scroll regions settle after a size change
  return app.layout();
}

async function checkSizes(dpr) {
  const app = await openApp({ deviceScaleFactor: dpr, hasTouch: true });
  try {
    await app.upload('photo', input('photo.png'));
    await app.waitFor('s.stylize.photo !== null', 20000);
    for (const [width, height] of SIZES) {
      const layout = await layoutAt(app, width, height);
      const canvas = await app.canvas();
      const where = `${width}x${height}@${dpr}x`;
      assert.deepEqual([canvas.x, canvas.y, canvas.width, canvas.height], [0, 0, width, height], `${where}: canvas fills the window`);
      assert.equal(canvas.dpr, dpr);
      assert.equal(canvas.bufferWidth, Math.round(width * dpr), `${where}: drawing buffer width = CSS width x DPR`);
      assert.equal(canvas.bufferHeight, Math.round(height * dpr), `${where}: drawing buffer height = CSS height x DPR`);
      assert.equal(layout.dpr, dpr);
      assert.equal(layout.font_px, BODY_FONT_CSS_PX * dpr, `${where}: the font is rasterised at the device size`);
      for (const name of [...CONTROLS, ...FRAME]) {
        const r = layout.widgets[name];
        assert.ok(r, `${where}: ${name} was drawn`);
        assert.ok(r.w >= 10 && r.h >= 10, `${where}: ${name} has a usable size (${JSON.stringify(r)})`);
        assert.ok(r.x >= 0 && r.y >= 0 && r.x + r.w <= width + 0.5 && r.y + r.h <= height + 0.5,
                  `${where}: ${name} ${JSON.stringify(r)} lies on screen`);
      }
      for (let i = 0; i < CONTROLS.length; i++)
        for (let j = i + 1; j < CONTROLS.length; j++) {
          const a = layout.widgets[CONTROLS[i]], b = layout.widgets[CONTROLS[j]];
          if (CONTROLS[j] === 'zoom') continue;  // drawn over the picture's corner, checked against the picture below
          assert.ok(!overlaps(a, b), `${where}: ${CONTROLS[i]} and ${CONTROLS[j]} overlap`);
        }
      const { picture, stylize } = layout.widgets;
      // Wide screens put the picture beside the controls, narrow ones below them; either way it is large.
      if (width >= 800) assert.ok(picture.x > stylize.x + stylize.w, `${where}: picture beside the controls`);
      else assert.ok(picture.y > stylize.y + stylize.h, `${where}: picture below the controls`);
      assert.ok(picture.w >= width * 0.5 && picture.h >= 200, `${where}: picture area ${picture.w}x${picture.h}`);
      await app.screenshot(`layout-${width}x${height}@${dpr}x`);
    }
    return app;
  } catch (error) {
    await app.close();
    throw error;
  }
}

test('DPR 1: canvas, drawing buffer, font and controls at three window sizes; then the DPR changes live', { timeout: 120000 }, async () => {
  const app = await checkSizes(1);
  try {
    // As when the window moves to a HiDPI screen: the buffer and the font atlas follow without a reload.
    const cdp = await app.page.context().newCDPSession(app.page);
    await cdp.send('Emulation.setDeviceMetricsOverride', { width: 1366, height: 768, deviceScaleFactor: 2, mobile: false });
    await app.page.waitForFunction(() => window.styleforge.layout().dpr === 2, null, { timeout: 10000 });
    await app.page.waitForTimeout(100);
    const layout = await app.layout();
    const canvas = await app.canvas();
    assert.equal(canvas.bufferWidth, 2732);
    assert.equal(canvas.bufferHeight, 1536);
    assert.equal(layout.font_px, BODY_FONT_CSS_PX * 2, 'the font atlas was rebuilt for the new ratio');
    assert.ok(layout.widgets.stylize.x + layout.widgets.stylize.w <= 1366, 'controls stay on screen');
    await app.screenshot('layout-1366x768-dpr-1-to-2');
  } finally {
    await app.close();
  }
});

test('DPR 2: the same, then touch taps a checkbox and drags a slider', { timeout: 120000 }, async () => {
  const app = await checkSizes(2);
  try {
    const layout = await layoutAt(app, 390, 844);
    const centre = (r) => ({ x: r.x + r.w / 2, y: r.y + r.h / 2 });
    const before = (await app.status()).stylize.preserve_colour;
    const box = centre(layout.widgets.preserve_colour);
    await app.page.touchscreen.tap(box.x, box.y);
    await app.waitFor(`s.stylize.preserve_colour === ${!before}`, 5000);

    // A finger drag from the slider's middle to past its left end (CDP touch events: Playwright has no touch drag).
    const slider = layout.widgets.strength;
    const cdp = await app.page.context().newCDPSession(app.page);
    const y = slider.y + slider.h / 2;
    const touch = (type, x) => cdp.send('Input.dispatchTouchEvent', { type, touchPoints: type === 'touchEnd' ? [] : [{ x, y }] });
    await touch('touchStart', slider.x + slider.w / 2);
    for (let x = slider.x + slider.w / 2; x > slider.x - 20; x -= 20) {
      await touch('touchMove', x);
      await app.page.waitForTimeout(20);
    }
    await touch('touchEnd');
    const s = await app.waitFor('s.stylize.strength < 0.05', 5000);
    assert.ok(s.stylize.strength < 0.05, `strength after the drag: ${s.stylize.strength}`);
    await app.screenshot('layout-touch-390x844@2x');

    // A photo larger than the screen: tap "After", tap the 100% button, and a finger drag pans the picture.
    await app.upload('photo', input('medium.png'));
    await app.waitFor('s.stylize.photo !== null && s.stylize.photo.width === 1000', 20000);
    const view = layout.widgets.view;
    await app.page.touchscreen.tap(view.x + view.w * 7 / 8, view.y + view.h / 2);  // the 4th segment, "After"
    await app.waitFor('s.stylize.view === 3', 5000);
    const zoom = centre((await app.layout()).widgets.zoom);
    await app.page.touchscreen.tap(zoom.x, zoom.y);
    await app.waitFor('s.stylize.zoomed', 5000);
    await app.page.waitForFunction(() => window.styleforge.layout().widgets.image.w > 400, null, { timeout: 5000 });
    const picture = (await app.layout()).widgets.picture;
    const start = (await app.layout()).widgets.image;
    const drag = (type, x, yy) => cdp.send('Input.dispatchTouchEvent', { type, touchPoints: type === 'touchEnd' ? [] : [{ x, y: yy }] });
    const py = picture.y + picture.h / 2;
    await drag('touchStart', picture.x + picture.w * 0.7, py);
    for (let dx = 0; dx <= 120; dx += 20) {
      await drag('touchMove', picture.x + picture.w * 0.7 - dx, py);
      await app.page.waitForTimeout(30);
    }
    await drag('touchEnd');
    await app.page.waitForTimeout(100);
    const moved = (await app.layout()).widgets.image;
    assert.equal(start.w, 500, 'at 100% the 1000 px photo is 1000 device pixels wide (500 CSS px at DPR 2)');
    assert.ok(moved.x < start.x - 50, `the picture panned left: x ${start.x} -> ${moved.x}`);
    await app.screenshot('layout-touch-pan-100-percent@2x');
  } finally {
    await app.close();
  }
});
