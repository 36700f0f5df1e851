// See output_names.h.
#include "src/record/output_names.h"

#include <charconv>
#include <string_view>

#include "src/record/raw_record.h"

namespace goalloc::record {
namespace {

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// Where the encoding suffix of `path` begins, or npos.
size_t EncodingSuffixStart(std::string_view path) {
  std::string_view base = path;
  for (std::string_view z : {".gz", ".zst"}) {
    if (EndsWith(base, z)) {
      base.remove_suffix(z.size());
      break;
    }
  }
  for (std::string_view e : {".gat", ".json", ".mtrace"}) {
    // Not the whole file name: "dir/.json" has no stem to insert after.
    if (EndsWith(base, e) && base.size() > e.size() && base[base.size() - e.size() - 1] != '/') {
      return base.size() - e.size();
    }
  }
  return std::string_view::npos;
}

}  // namespace

std::string RawLogName(ProcessImage p) {
  return std::to_string(p.pid) + "-" + std::to_string(p.image) + ".raw";
}

std::optional<ProcessImage> ParseRawLogName(const std::string& name) {
  ProcessImage p;
  const char* begin = name.data();
  const char* end = name.data() + name.size();
  auto [dash, e1] = std::from_chars(begin, end, p.pid);
  if (e1 != std::errc() || dash == begin || dash == end || *dash != '-') return std::nullopt;
  auto [dot, e2] = std::from_chars(dash + 1, end, p.image);
  if (e2 != std::errc() || dot == dash + 1 || std::string_view(dot, end - dot) != ".raw") {
    return std::nullopt;
  }
  return p;
}

std::optional<RawLogFailure> ParseRawLogFailureName(const std::string& name) {
  size_t at = name.find(kFailedSuffix);
  if (at == std::string::npos) return std::nullopt;
  std::optional<ProcessImage> p = ParseRawLogName(name.substr(0, at));
  const char* begin = name.data() + at + sizeof(kFailedSuffix) - 1;
  const char* end = name.data() + name.size();
  int error = 0;
  auto [last, ec] = std::from_chars(begin, end, error);
  if (!p || ec != std::errc() || last == begin || last != end) return std::nullopt;
  return RawLogFailure{*p, error};
}

std::string TracePathForProcess(const std::string& out, ProcessImage p) {
  std::string tag = "." + std::to_string(p.pid);
  if (p.image != 0) tag += "-" + std::to_string(p.image);
  size_t at = EncodingSuffixStart(out);
  if (at == std::string_view::npos) return out + tag;
  return out.substr(0, at) + tag + out.substr(at);
}

}  // namespace goalloc::record
