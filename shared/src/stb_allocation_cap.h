// A per-thread ceiling on each allocation stb_image makes, set by decode_image() from the header's size.
// Needed because a PNG's compressed data can inflate far beyond what its header announces (a "zip bomb"):
// stb 2.27 grows its inflate buffer without bound, and the header check alone cannot see that.
#pragma once
#include <cstddef>

namespace styleforge::detail {

// While alive, stb allocations larger than `max_bytes` fail (stb then reports "outofmem").
class StbAllocationCap {
 public:
  explicit StbAllocationCap(size_t max_bytes);
  ~StbAllocationCap();
  StbAllocationCap(const StbAllocationCap&) = delete;
  StbAllocationCap& operator=(const StbAllocationCap&) = delete;
  bool exceeded() const;  // some allocation was refused
};

// stb's allocator (STBI_MALLOC / STBI_REALLOC / STBI_FREE in stb_impl.cpp).
void* stb_malloc(size_t size);
void* stb_realloc(void* pointer, size_t size);
void stb_free(void* pointer);

}  // namespace styleforge::detail
