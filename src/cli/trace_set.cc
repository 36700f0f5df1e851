// See trace_set.h.
#include "src/cli/trace_set.h"

#include <fmt/core.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <regex>
#include <system_error>

#include "src/cli/commands.h"
#include "src/report/corpus_report.h"

namespace goalloc::cli {
namespace {

namespace fs = std::filesystem;

bool EndsWith(const std::string& s, std::string_view suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// The file's size and content hash, read in pieces (a trace may be larger than memory).
TraceFile Hashed(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  report::ContentHash hash;
  TraceFile file{path};
  std::string chunk(1 << 20, '\0');
  while (in) {
    in.read(chunk.data(), std::streamsize(chunk.size()));
    hash.Update(std::string_view(chunk.data(), size_t(in.gcount())));
    file.bytes += uint64_t(in.gcount());
  }
  if (in.bad() || !in.eof()) throw UsageError(fmt::format("{}: cannot be read", path));
  file.content_hash = hash.Text();
  return file;
}

// A file in a directory that is not a trace: documentation, build files, our own reports.
bool Skipped(const fs::path& file) {
  const std::string name = file.filename().string();
  if (name == "BUILD" || name == "BUILD.bazel" || EndsWith(name, ".md") || EndsWith(name, ".txt") ||
      EndsWith(name, ".bzl")) {
    return true;
  }
  if (!EndsWith(name, ".json")) return false;
  std::ifstream in(file, std::ios::binary);
  std::string head(4096, '\0');
  in.read(head.data(), std::streamsize(head.size()));
  head.resize(size_t(in.gcount()));
  static const std::regex kReport(R"re("schema"\s*:\s*"goalloc-)re");
  return std::regex_search(head, kReport);
}

}  // namespace

bool IsDirectory(const std::string& arg) {
  std::error_code ec;
  return fs::is_directory(arg, ec);
}

std::vector<TraceFile> ExpandTraces(const std::vector<std::string>& args) {
  std::vector<std::string> paths;
  for (const std::string& arg : args) {
    if (arg == "-") throw UsageError("compare of several traces cannot read one from stdin");
    std::error_code ec;
    if (!fs::is_directory(arg, ec)) {
      if (!fs::exists(arg, ec)) throw UsageError(fmt::format("{}: no such file or directory", arg));
      paths.push_back(arg);
      continue;
    }
    std::vector<std::string> found;
    for (auto it = fs::recursive_directory_iterator(arg, ec); !ec && it != fs::end(it);
         it.increment(ec)) {
      if (it->is_regular_file() && !Skipped(it->path())) found.push_back(it->path().string());
    }
    if (ec) throw UsageError(fmt::format("{}: cannot be listed: {}", arg, ec.message()));
    if (found.empty()) throw UsageError(fmt::format("{}: a directory with no trace", arg));
    std::sort(found.begin(), found.end());
    paths.insert(paths.end(), found.begin(), found.end());
  }
  std::vector<TraceFile> out;
  for (const std::string& path : paths) {
    for (const TraceFile& earlier : out) {
      std::error_code ec;
      if (earlier.path == path) throw UsageError(fmt::format("{} is named twice", path));
      if (fs::equivalent(earlier.path, path, ec)) {
        throw UsageError(fmt::format("{} and {} are the same file", earlier.path, path));
      }
    }
    out.push_back(Hashed(path));
  }
  return out;
}

}  // namespace goalloc::cli
