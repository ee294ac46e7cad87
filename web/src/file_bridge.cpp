#include "file_bridge.h"

#include <emscripten.h>

#include <cstdlib>

namespace web {
namespace {

std::vector<Upload> g_uploads;

EM_JS(void, js_install_file_inputs, (double max_model_bytes, double max_style_bytes), {
  const slots = ['sf-upload-photo', 'sf-upload-vae-a', 'sf-upload-vae-b', 'sf-upload-model', 'sf-upload-style'];
  const image = 'image/png,image/jpeg,.png,.jpg,.jpeg';
  const accepts = [image, image, image, '.onnx', image];
  const MODEL = 3, STYLE = 4;
  const limits = {[MODEL]: max_model_bytes, [STYLE]: max_style_bytes};
  const deliver = (slot, file) => {
    if (limits[slot] !== undefined && file.size > limits[slot]) {  // not read: a huge file would not fit the wasm heap
      const size = lengthBytesUTF8(file.name) + 1;
      const name = _malloc(size);
      stringToUTF8(file.name, name, size);
      _sf_upload_too_large(slot, name, file.size);
      return;
    }
    file.arrayBuffer().then((buffer) => {
      const bytes = new Uint8Array(buffer);
      const ptr = _malloc(Math.max(1, bytes.length));
      HEAPU8.set(bytes, ptr);
      const size = lengthBytesUTF8(file.name) + 1;
      const name = _malloc(size);
      stringToUTF8(file.name, name, size);
      _sf_upload_received(slot, name, ptr, bytes.length);
    }).catch((error) => console.error('styleforge: could not read ' + file.name + ': ' + error));
  };
  slots.forEach((id, slot) => {
    let input = document.getElementById(id);
    if (!input) {
      input = document.createElement('input');
      input.type = 'file';
      input.id = id;
      input.accept = accepts[slot];
      input.style.display = 'none';
      document.body.appendChild(input);
    }
    input.addEventListener('change', () => {
      if (input.files && input.files.length > 0) deliver(slot, input.files[0]);
      input.value = "";  // choosing the same file again must fire 'change' again
    });
  });
  Module.sfDropSlot = 0;
  Module.sfStyleDropZone = null;  // [x0, y0, x1, y1] in the canvas's drawing-buffer pixels (ImGui's)
  const canvas = Module.canvas;
  const inStyleZone = (event) => {
    const zone = Module.sfStyleDropZone;
    if (!zone) return false;
    const r = canvas.getBoundingClientRect();
    const x = (event.clientX - r.left) * (canvas.width / Math.max(1, r.width));
    const y = (event.clientY - r.top) * (canvas.height / Math.max(1, r.height));
    return x >= zone[0] && x <= zone[2] && y >= zone[1] && y <= zone[3];
  };
  canvas.addEventListener('dragover', (event) => { event.preventDefault(); });
  canvas.addEventListener('drop', (event) => {
    event.preventDefault();
    const files = event.dataTransfer ? event.dataTransfer.files : null;
    if (!files || files.length === 0) return;
    // A model goes to the model slot from any tab; a picture dropped on the style images' box is a style image;
    // anything else goes to the tab's own slot.
    const model = files[0].name.toLowerCase().endsWith('.onnx');
    deliver(model ? MODEL : inStyleZone(event) ? STYLE : Module.sfDropSlot, files[0]);
  });
});

EM_JS(void, js_open_file_picker, (int slot), {
  const ids = ['sf-upload-photo', 'sf-upload-vae-a', 'sf-upload-vae-b', 'sf-upload-model', 'sf-upload-style'];
  const input = document.getElementById(ids[slot]);
  if (input) input.click();
});

EM_JS(void, js_set_drop_slot, (int slot), { Module.sfDropSlot = slot; });
EM_JS(void, js_set_style_drop_zone, (float x0, float y0, float x1, float y1), {
  Module.sfStyleDropZone = x1 > x0 ? [x0, y0, x1, y1] : null;
});

EM_JS(void, js_download, (const char* name_ptr, const char* mime_ptr, const uint8_t* data, int size), {
  const bytes = HEAPU8.slice(data, data + size);  // a copy: the heap may move once we return
  const blob = new Blob([bytes], {type: UTF8ToString(mime_ptr)});
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = UTF8ToString(name_ptr);
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60000);
});

}  // namespace

void install_file_inputs() { js_install_file_inputs(kMaxModelFileBytes, kMaxStyleImageBytes); }
void open_file_picker(UploadSlot slot) { js_open_file_picker(int(slot)); }
void set_drop_slot(UploadSlot slot) { js_set_drop_slot(int(slot)); }
void set_style_drop_zone(float x0, float y0, float x1, float y1) { js_set_style_drop_zone(x0, y0, x1, y1); }
void clear_style_drop_zone() { js_set_style_drop_zone(0, 0, 0, 0); }

std::vector<Upload> take_uploads() {
  std::vector<Upload> out;
  out.swap(g_uploads);
  return out;
}

void download_bytes(const std::string& file_name, const std::string& mime, const std::vector<uint8_t>& bytes) {
  js_download(file_name.c_str(), mime.c_str(), bytes.data(), int(bytes.size()));
}

styleforge::Status download_png(const styleforge::Image& image, const std::string& file_name) {
  auto png = styleforge::encode_png(image);
  if (!png.ok()) return styleforge::Status::failure("Could not encode the PNG: " + png.error);
  download_bytes(file_name, "image/png", png.value);
  return styleforge::Status::success();
}

}  // namespace web

// Called from JS with a file's bytes. Takes ownership of `name` and `data` (malloc'd by JS).
extern "C" EMSCRIPTEN_KEEPALIVE void sf_upload_received(int slot, char* name, uint8_t* data, int size) {
  web::Upload upload;
  upload.slot = web::UploadSlot(slot < 0 || slot > 4 ? 0 : slot);
  upload.name = name ? name : "";
  if (data) upload.bytes.assign(data, data + size);
  upload.file_size = size;
  std::free(name);
  std::free(data);
  web::g_uploads.push_back(std::move(upload));
}

// Called from JS for a file over its slot's limit, which JS did not read. Takes ownership of `name`.
extern "C" EMSCRIPTEN_KEEPALIVE void sf_upload_too_large(int slot, char* name, double file_size) {
  web::Upload upload;
  upload.slot = web::UploadSlot(slot < 0 || slot > 4 ? 0 : slot);
  upload.name = name ? name : "";
  upload.too_large = true;
  upload.file_size = file_size;
  std::free(name);
  web::g_uploads.push_back(std::move(upload));
}
