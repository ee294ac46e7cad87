// Files in and out of the page. In: one hidden <input type=file> per slot (ids sf-upload-photo, sf-upload-vae-a,
// sf-upload-vae-b, sf-upload-model, sf-upload-style) and drag and drop onto the canvas (a dropped file whose name
// ends in .onnx goes to the Model slot, whatever the tab; one dropped inside the style drop zone, the box of the
// person's own style images, to the StyleImage slot); their bytes are queued and taken by the frame loop. A file over the slot's
// size limit is not read: it arrives with no bytes and `too_large` set.
// Out: a Blob download through a temporary <a download> link, the browser's ordinary download path.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "styleforge/image.h"

namespace web {

enum class UploadSlot { Photo = 0, VaeA = 1, VaeB = 2, Model = 3, StyleImage = 4 };

// The largest style model file the page reads (a person's own, "Add my own model"); the shipped ones are < 2 MB.
inline constexpr double kMaxModelFileBytes = 256.0 * 1024 * 1024;
// The largest style image file read ("Use my own style image"); a photo or scan of a painting is a few MB.
inline constexpr double kMaxStyleImageBytes = 64.0 * 1024 * 1024;

struct Upload {
  UploadSlot slot = UploadSlot::Photo;
  std::string name;
  std::vector<uint8_t> bytes;
  bool too_large = false;  // over the slot's limit: not read, `bytes` is empty
  double file_size = 0;    // the file's size in bytes as the browser reported it
};

// Creates the hidden inputs and the canvas drop handler. Call once at start-up.
void install_file_inputs();
// Opens the browser's file picker for `slot` (the ImGui "Open..." buttons).
void open_file_picker(UploadSlot slot);
// Where a file dropped on the canvas goes (follows the tab on screen).
void set_drop_slot(UploadSlot slot);
// The rectangle (ImGui's device pixels) where a dropped image goes to the StyleImage slot instead; set every frame
// it is on screen, cleared at the start of each frame (clear_style_drop_zone) so a hidden box takes no drops.
void set_style_drop_zone(float x0, float y0, float x1, float y1);
void clear_style_drop_zone();
// Files received since the last call, in arrival order.
std::vector<Upload> take_uploads();

// Offers `bytes` to the person as a file named `file_name`.
void download_bytes(const std::string& file_name, const std::string& mime, const std::vector<uint8_t>& bytes);
// Encodes `image` as PNG and offers it as `file_name`; fails with "Could not encode the PNG: ..." and offers nothing.
styleforge::Status download_png(const styleforge::Image& image, const std::string& file_name);

}  // namespace web
