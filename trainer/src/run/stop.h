// Clean stops: SIGINT/SIGTERM set a flag that training loops poll once per step; the loop then writes a checkpoint
// and returns, so `--resume` continues where it stopped. A second signal two or more seconds after the first kills
// the process at once (default action), for when the checkpoint itself hangs; one sooner is the same request
// delivered twice (coreutils `timeout` signals its child and then the child's whole process group).
#pragma once

namespace styleforge::trainer {

void install_stop_handlers();
bool stop_requested();

}  // namespace styleforge::trainer
