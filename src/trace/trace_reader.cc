// OpenTrace: decompression by magic bytes, then the encoding by the first bytes of the
// decompressed content: the binary magic, a JSON object, or mtrace lines.
#include "src/trace/trace_reader.h"

#include <fmt/core.h>

#include "src/trace/binary_format.h"
#include "src/trace/byte_source.h"
#include "src/trace/decoders.h"
#include "src/trace/trace_error.h"

namespace goalloc::trace {
namespace {

constexpr size_t kSniffBytes = 4096;

std::string ReadPrefix(ByteSource& source, size_t n) {
  std::string s(n, '\0');
  size_t have = 0;
  while (have < n) {
    size_t got = source.Read(s.data() + have, n - have);
    if (got == 0) break;
    have += got;
  }
  s.resize(have);
  return s;
}

bool LooksLikeMtrace(std::string_view s) {
  size_t start = s.find_first_not_of("\r\n");
  if (start == std::string_view::npos) return false;
  std::string_view line = s.substr(start, s.find('\n', start) - start);
  if (line.starts_with("= Start")) return true;
  return line.size() >= 2 && line[1] == ' ' &&
         std::string_view("@+-<>!").find(line[0]) != std::string_view::npos;
}

}  // namespace

std::string_view EncodingName(Encoding e) {
  switch (e) {
    case Encoding::kJson:
      return "json";
    case Encoding::kMtrace:
      return "mtrace";
    case Encoding::kBinary:
      return "binary";
  }
  return "?";
}

std::string_view CompressionName(Compression c) {
  switch (c) {
    case Compression::kNone:
      return "none";
    case Compression::kGzip:
      return "gzip";
    case Compression::kZstd:
      return "zstd";
  }
  return "?";
}

std::unique_ptr<TraceReader> OpenTraceSource(std::string path, std::unique_ptr<ByteSource> raw) {
  try {
    Compression compression;
    std::unique_ptr<ByteSource> data = Decompress(std::move(raw), &compression);
    std::string head = ReadPrefix(*data, kSniffBytes);
    std::unique_ptr<ByteSource> source = MakePrefixedSource(head, std::move(data));
    if (head.starts_with(binary::kMagic.substr(0, 4))) {
      return MakeBinaryReader(path, std::move(source), compression);
    }
    constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";  // skipped by the JSON reader
    size_t first =
        head.find_first_not_of(" \t\r\n", head.starts_with(kUtf8Bom) ? kUtf8Bom.size() : 0);
    if (first != std::string::npos && (head[first] == '{' || head[first] == '[')) {
      return MakeJsonReader(path, std::move(source), compression);
    }
    if (LooksLikeMtrace(head)) return MakeMtraceReader(path, std::move(source), compression);
    if (head.empty()) throw TraceError(path, 0, "", "empty file, not a trace");
    throw TraceError(path, 0, "byte 0",
                     "unrecognised trace encoding: expected JSON ('{'), glibc mtrace text "
                     "('= Start') or the goalloc binary encoding");
  } catch (const SourceError& e) {
    throw TraceError(path, 0, "", e.what());
  }
}

std::unique_ptr<TraceReader> OpenTrace(const std::string& path) {
  std::string name = path == "-" ? "<stdin>" : path;
  std::unique_ptr<ByteSource> raw;
  try {
    raw = OpenFileSource(path);
  } catch (const SourceError& e) {
    throw TraceError(name, 0, "", e.what());
  }
  return OpenTraceSource(name, std::move(raw));
}

}  // namespace goalloc::trace
