// The one translation unit that compiles stb_image and stb_image_write (Debian's libstb-dev headers).
// Only PNG and JPEG are compiled in: fewer decoders means less attack surface for files people drop in.
// No stdio: shared/ reads and writes files itself (image.cpp), and the WebAssembly build has no files anyway.
#include "stb_config.h"

#define STB_IMAGE_IMPLEMENTATION
#define STB_IMAGE_WRITE_IMPLEMENTATION
#include <stb/stb_image.h>
#include <stb/stb_image_write.h>
