#include "run/stop.h"

#include <csignal>
#include <ctime>

namespace styleforge::trainer {
namespace {

volatile std::sig_atomic_t g_stop = 0;
volatile std::sig_atomic_t g_first_signal_second = 0;  // CLOCK_MONOTONIC seconds: fits an int for decades of uptime

// Only async-signal-safe calls here (clock_gettime, signal, raise).
extern "C" void on_stop_signal(int signal_number) {
  timespec now{};
  clock_gettime(CLOCK_MONOTONIC, &now);
  const auto second = static_cast<std::sig_atomic_t>(now.tv_sec);
  if (!g_stop) {
    g_first_signal_second = second;
    g_stop = 1;
    return;
  }
  // A duplicate from `timeout` arrives within microseconds; a person pressing Ctrl-C again means "now".
  if (second - g_first_signal_second >= 2) {
    std::signal(signal_number, SIG_DFL);
    std::raise(signal_number);
  }
}

}  // namespace

void install_stop_handlers() {
  g_stop = 0;
  std::signal(SIGINT, on_stop_signal);
  std::signal(SIGTERM, on_stop_signal);
}

bool stop_requested() { return g_stop != 0; }

}  // namespace styleforge::trainer
