// The one translation unit that compiles stb_image and stb_image_write (Debian's libstb-dev headers).
// Only PNG and JPEG are compiled in: fewer decoders means less attack surface for files people drop in.
// No stdio: shared/ reads and writes files itself (image.cpp), and the WebAssembly build has no files anyway.
#include "stb_allocation_cap.h"
#include "stb_config.h"

// stb_image allocates through decode_image()'s cap (stb_allocation_cap.h); stb_image_write keeps malloc.
#define STBI_MALLOC(size) styleforge::detail::stb_malloc(size)
#define STBI_REALLOC(pointer, size) styleforge::detail::stb_realloc(pointer, size)
#define STBI_FREE(pointer) styleforge::detail::stb_free(pointer)

#define STB_IMAGE_IMPLEMENTATION
#define STB_IMAGE_WRITE_IMPLEMENTATION
#include <stb/stb_image.h>
#include <stb/stb_image_write.h>
