#include "run/stop.h"

#include <csignal>

namespace styleforge::trainer {
namespace {

volatile std::sig_atomic_t g_stop = 0;

extern "C" void on_stop_signal(int signal_number) {
  g_stop = 1;
  std::signal(signal_number, SIG_DFL);  // the next one terminates
}

}  // namespace

void install_stop_handlers() {
  g_stop = 0;
  std::signal(SIGINT, on_stop_signal);
  std::signal(SIGTERM, on_stop_signal);
}

bool stop_requested() { return g_stop != 0; }

}  // namespace styleforge::trainer
