// Clean stops (trainer/src/run/stop.h): the first SIGTERM/SIGINT asks for a checkpoint and a clean exit; the same
// request delivered twice at once (coreutils `timeout` signals the child, then its process group: CI lost a run's
// checkpoint to this) must not kill the run; a second signal seconds later still kills it, for a hung checkpoint.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <csignal>

#include "run/stop.h"

using namespace styleforge::trainer;

TEST_CASE("a signal sets the stop flag, and installing the handlers clears it") {
  install_stop_handlers();
  CHECK_FALSE(stop_requested());
  std::raise(SIGTERM);
  CHECK(stop_requested());
  install_stop_handlers();
  CHECK_FALSE(stop_requested());
  std::raise(SIGINT);
  CHECK(stop_requested());
}

TEST_CASE("the same request delivered twice at once does not kill the process") {
  install_stop_handlers();
  std::raise(SIGTERM);
  std::raise(SIGTERM);  // with the old "second signal = default action" this line ended the test binary
  std::raise(SIGINT);
  CHECK(stop_requested());
}

TEST_CASE("a second signal seconds after the first kills the process") {
  const pid_t child = fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    install_stop_handlers();
    std::raise(SIGTERM);
    sleep(3);
    std::raise(SIGTERM);
    _exit(0);  // reached only if the second signal was ignored
  }
  int status = 0;
  REQUIRE(waitpid(child, &status, 0) == child);
  CHECK(WIFSIGNALED(status));
  CHECK(WTERMSIG(status) == SIGTERM);
}
