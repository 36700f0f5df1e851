// CreateTraceWriter: the format from the file name, the encoder over an atomic, optionally
// compressing, file sink.
#include "src/trace/trace_writer.h"

#include <stdexcept>

#include "src/trace/byte_sink.h"
#include "src/trace/encoders.h"

namespace goalloc::trace {

OutputFormat FormatFromName(const std::string& path) {
  std::string_view name = path;
  OutputFormat f{Encoding::kJson, Compression::kNone};
  if (name.ends_with(".gz")) {
    f.compression = Compression::kGzip;
    name.remove_suffix(3);
  } else if (name.ends_with(".zst")) {
    f.compression = Compression::kZstd;
    name.remove_suffix(4);
  }
  if (name.ends_with(".json")) {
    f.encoding = Encoding::kJson;
  } else if (name.ends_with(".gat")) {
    f.encoding = Encoding::kBinary;
  } else if (name.ends_with(".mtrace")) {
    f.encoding = Encoding::kMtrace;
  } else {
    throw std::invalid_argument("cannot tell the trace encoding from the name \"" + path +
                                "\": use .json, .gat (binary) or .mtrace, optionally followed by "
                                ".gz or .zst");
  }
  return f;
}

std::unique_ptr<TraceWriter> CreateTraceWriter(const std::string& path,
                                               const std::string& meta_json) {
  OutputFormat f = FormatFromName(path);
  std::unique_ptr<ByteSink> sink = Compress(CreateAtomicFileSink(path), f.compression);
  switch (f.encoding) {
    case Encoding::kJson:
      return MakeJsonWriter(std::move(sink), meta_json);
    case Encoding::kMtrace:
      return MakeMtraceWriter(std::move(sink));
    case Encoding::kBinary:
      return MakeBinaryWriter(std::move(sink), meta_json);
  }
  throw std::logic_error("unhandled encoding");
}

}  // namespace goalloc::trace
