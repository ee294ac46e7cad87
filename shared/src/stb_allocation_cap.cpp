#include "stb_allocation_cap.h"

#include <cstdlib>

namespace styleforge::detail {
namespace {

// No cap outside decode_image(); thread_local so concurrent decodes on other threads keep their own.
struct CapState {
  bool active = false;
  size_t max_bytes = 0;
  bool exceeded = false;
};
thread_local CapState cap;

bool allowed(size_t size) {
  if (!cap.active || size <= cap.max_bytes) return true;
  cap.exceeded = true;
  return false;
}

}  // namespace

StbAllocationCap::StbAllocationCap(size_t max_bytes) { cap = CapState{true, max_bytes, false}; }
StbAllocationCap::~StbAllocationCap() { cap = CapState{}; }
bool StbAllocationCap::exceeded() const { return cap.exceeded; }

// Zeroed: stb_image 2.27 leaves parts of what it allocates unwritten for some broken JPEGs (a scan that stops early
// at a restart interval, a component no scan covers) and would return them as pixels, i.e. stale heap contents.
// The probe refuses the cases it can see from the structure; this makes the rest deterministic.
void* stb_malloc(size_t size) { return allowed(size) ? std::calloc(1, size) : nullptr; }
void* stb_realloc(void* pointer, size_t size) { return allowed(size) ? std::realloc(pointer, size) : nullptr; }
void stb_free(void* pointer) { std::free(pointer); }

}  // namespace styleforge::detail
