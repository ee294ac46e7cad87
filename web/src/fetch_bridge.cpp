#include "fetch_bridge.h"

#include <emscripten.h>

#include <cstdlib>
#include <deque>
#include <map>

namespace web {
namespace {

struct Completed {
  int id;
  styleforge::Result<std::vector<uint8_t>> result;
};
std::map<int, FetchDone> g_pending;
std::deque<Completed> g_completed;
int g_next_id = 1;

// On success JS mallocs the body and passes it to sf_fetch_done (which frees it); on failure it passes a message.
EM_JS(void, js_fetch_bytes, (int id, const char* url_ptr), {
  const url = UTF8ToString(url_ptr);
  fetch(url)
      .then((response) => {
        if (!response.ok) throw new Error('HTTP ' + response.status + ' ' + response.statusText);
        return response.arrayBuffer();
      })
      .then((buffer) => {
        const bytes = new Uint8Array(buffer);
        const ptr = _malloc(Math.max(1, bytes.length));
        HEAPU8.set(bytes, ptr);
        _sf_fetch_done(id, ptr, bytes.length, 0);
      })
      .catch((error) => {
        const text = url + ': ' + (error && error.message ? error.message : String(error));
        const size = lengthBytesUTF8(text) + 1;
        const message = _malloc(size);
        stringToUTF8(text, message, size);
        _sf_fetch_done(id, 0, 0, message);
      });
});

}  // namespace

void fetch_bytes(const std::string& url, FetchDone done) {
  const int id = g_next_id++;
  g_pending[id] = std::move(done);
  js_fetch_bytes(id, url.c_str());
}

void poll_fetches() {
  while (!g_completed.empty()) {
    Completed c = std::move(g_completed.front());
    g_completed.pop_front();
    auto it = g_pending.find(c.id);
    if (it == g_pending.end()) continue;
    FetchDone done = std::move(it->second);
    g_pending.erase(it);
    done(std::move(c.result));
  }
}

}  // namespace web

// Called from JS when a fetch settles. Takes ownership of `data` and `error` (both malloc'd by JS, either may be 0).
extern "C" EMSCRIPTEN_KEEPALIVE void sf_fetch_done(int id, uint8_t* data, int size, char* error) {
  styleforge::Result<std::vector<uint8_t>> result;
  if (error) {
    result = styleforge::Result<std::vector<uint8_t>>::failure(error);
  } else {
    result = styleforge::Result<std::vector<uint8_t>>::success(std::vector<uint8_t>(data, data + size));
  }
  std::free(data);
  std::free(error);
  web::g_completed.push_back({id, std::move(result)});
}
