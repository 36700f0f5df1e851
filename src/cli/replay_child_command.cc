// `goalloc-replay replay-child --in FD --out FD`: hidden. The parent starts it with a system
// allocator preloaded to replay a trace it already decoded (src/replay/replay_child.h);
// users never run it.
#include <memory>

#include "src/cli/commands.h"
#include "src/replay/replay_child.h"

namespace goalloc::cli {

void AddReplayChildCommand(CLI::App& root, Commands& out) {
  CLI::App* sub = root.add_subcommand("replay-child", "internal: a replay in a child process");
  sub->group("");  // hidden from --help
  auto fds = std::make_shared<std::pair<int, int>>(-1, -1);
  sub->add_option("--in", fds->first, "request and decoded trace")->required();
  sub->add_option("--out", fds->second, "where the result goes")->required();
  out.emplace_back(sub, [fds] { return replay::RunReplayChild(fds->first, fds->second); });
}

}  // namespace goalloc::cli
