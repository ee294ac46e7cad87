// Small image helper for the stylize/augment tests, built on the shared layer's decoder (no Python needed).
//   image_tool size A              prints "WxH"
//   image_tool diff A B            prints "max M mean X" over RGB (0..255); exit 1 when the sizes differ
//   image_tool resize IN OUT W H   bilinear resize (makes odd-sized test inputs)
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "styleforge/image.h"

using styleforge::Image;

static Image load_or_die(const char* path) {
  auto r = styleforge::load_image_file(path);
  if (!r.ok()) {
    std::fprintf(stderr, "%s\n", r.error.c_str());
    std::exit(1);
  }
  return r.value;
}

int main(int argc, char** argv) {
  if (argc == 3 && !std::strcmp(argv[1], "size")) {
    Image a = load_or_die(argv[2]);
    std::printf("%dx%d\n", a.width, a.height);
    return 0;
  }
  if (argc == 4 && !std::strcmp(argv[1], "diff")) {
    Image a = load_or_die(argv[2]), b = load_or_die(argv[3]);
    if (a.width != b.width || a.height != b.height) {
      std::printf("sizes differ: %dx%d vs %dx%d\n", a.width, a.height, b.width, b.height);
      return 1;
    }
    int max = 0;
    double sum = 0;
    for (size_t i = 0; i < a.rgba.size(); ++i) {
      if (i % 4 == 3) continue;
      int d = std::abs(int(a.rgba[i]) - int(b.rgba[i]));
      max = d > max ? d : max;
      sum += d;
    }
    std::printf("max %d mean %.4f\n", max, sum / (a.rgba.size() / 4 * 3));
    return 0;
  }
  if (argc == 6 && !std::strcmp(argv[1], "resize")) {
    auto r = styleforge::resize_image(load_or_die(argv[2]), std::atoi(argv[4]), std::atoi(argv[5]));
    auto s = r.ok() ? styleforge::save_image_file(argv[3], r.value) : styleforge::Status::failure(r.error);
    if (!s.ok()) std::fprintf(stderr, "%s\n", s.error.c_str());
    return s.ok() ? 0 : 1;
  }
  std::fprintf(stderr, "usage: image_tool size A | diff A B | resize IN OUT W H\n");
  return 2;
}
