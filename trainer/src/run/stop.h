// Clean stops: SIGINT/SIGTERM set a flag that training loops poll once per step; the loop then writes a checkpoint
// and returns, so `--resume` continues where it stopped. A second signal kills the process at once (default
// action), for when the checkpoint itself hangs.
#pragma once

namespace styleforge::trainer {

void install_stop_handlers();
bool stop_requested();

}  // namespace styleforge::trainer
