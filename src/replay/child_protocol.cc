// See child_protocol.h.
#include "src/replay/child_protocol.h"

#include <cstdint>
#include <nlohmann/json.hpp>

#include "src/replay/replay_result_json.h"
#include "src/trace/fd_io.h"

namespace goalloc::replay {
namespace {

void WriteMessage(int fd, const std::string& text) {
  const uint64_t n = text.size();
  trace::WriteAll(fd, &n, sizeof n, "replay child: write");
  trace::WriteAll(fd, text.data(), n, "replay child: write");
}

nlohmann::json ReadMessage(int fd) {
  uint64_t n = 0;
  trace::ReadExactly(fd, &n, sizeof n, "replay child: message");
  std::string text(n, '\0');
  trace::ReadExactly(fd, text.data(), n, "replay child: message");
  return nlohmann::json::parse(text);
}

}  // namespace

void WriteChildRequest(int fd, const ReplayOptions& o, const std::string& library,
                       const PreparedTrace& trace) {
  const nlohmann::json request = {{"allocator", o.allocator.name()},
                                  {"mode", o.mode.name()},
                                  {"threads", o.threads},
                                  {"timeline_samples", o.timeline_samples},
                                  {"verify", o.verify},
                                  {"verify_every", o.verify_every},
                                  {"progress", o.progress},
                                  {"library", library}};
  WriteMessage(fd, request.dump());
  trace.WriteTo(fd);
}

ChildRequest ReadChildRequest(int fd) {
  const nlohmann::json j = ReadMessage(fd);
  ChildRequest r;
  r.options.allocator = j.at("allocator").get<std::string>();
  r.options.mode = j.at("mode").get<std::string>();
  j.at("threads").get_to(r.options.threads);
  j.at("timeline_samples").get_to(r.options.timeline_samples);
  j.at("verify").get_to(r.options.verify);
  j.at("verify_every").get_to(r.options.verify_every);
  j.at("progress").get_to(r.options.progress);
  j.at("library").get_to(r.library);
  r.trace = PreparedTrace::ReadFrom(fd);
  return r;
}

void WriteChildAnswer(int fd, const ChildAnswer& answer) {
  const nlohmann::json j = answer.result ? nlohmann::json{{"result", *answer.result}}
                                         : nlohmann::json{{"error", answer.error}};
  // A result's trace path and an error's text need not be valid UTF-8: bad bytes travel as U+FFFD.
  WriteMessage(fd, j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

ChildAnswer ReadChildAnswer(int fd) {
  const nlohmann::json j = ReadMessage(fd);
  ChildAnswer answer;
  if (j.contains("error")) {
    j.at("error").get_to(answer.error);
  } else {
    answer.result = j.at("result").get<ReplayResult>();
  }
  return answer;
}

}  // namespace goalloc::replay
