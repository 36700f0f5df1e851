// The replay child protocol (replay_child.h): what the parent and the replay child exchange
// through their two memfds, each message a u64 length and that many bytes of JSON.
//
//   request (parent → child): the JSON {"allocator", "mode", "threads", "timeline_samples",
//       "verify", "verify_every", "progress": ReplayOptions, "library": the file the child's
//       malloc must come from}, then the decoded trace (PreparedTrace::WriteTo)
//   answer (child → parent): the JSON {"result": ReplayResult}, or {"error": "..."} when the
//       child could not replay
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "src/replay/prepared_trace.h"
#include "src/replay/replay_options.h"
#include "src/replay/replay_result.h"

namespace goalloc::replay {

struct ChildRequest {
  ReplayOptions options;
  std::string library;
  std::shared_ptr<const PreparedTrace> trace;
};

// Throws std::system_error when a write fails.
void WriteChildRequest(int fd, const ReplayOptions& options, const std::string& library,
                       const PreparedTrace& trace);
// Throws when the request is truncated or malformed.
ChildRequest ReadChildRequest(int fd);

struct ChildAnswer {
  std::optional<ReplayResult> result;  // or, when the child failed:
  std::string error;
};

// Throws std::system_error when a write fails.
void WriteChildAnswer(int fd, const ChildAnswer& answer);
// Throws when there is no complete answer (the child died before writing one) or it is
// malformed.
ChildAnswer ReadChildAnswer(int fd);

}  // namespace goalloc::replay
