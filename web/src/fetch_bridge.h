// Same-origin fetches of small files (the manifest, thumbnails) for C++, without ASYNCIFY:
// fetch_bytes() starts a JS fetch; its completion is queued and handed to `done` by poll_fetches() in the frame loop.
#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "styleforge/result.h"

namespace web {

using FetchDone = std::function<void(styleforge::Result<std::vector<uint8_t>>)>;

// `done` is called exactly once, from poll_fetches(), with the body or a message naming the URL and the reason.
void fetch_bytes(const std::string& url, FetchDone done);
void poll_fetches();

}  // namespace web
