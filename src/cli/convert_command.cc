// `goalloc-replay convert IN -o OUT`: re-encodes a trace, streaming; the output encoding
// and compression come from OUT's name (.json, .gat, .mtrace, + .gz/.zst) and the output
// appears atomically. Converting to mtrace warns about every kind of information lost.
#include <fmt/core.h>
#include <fmt/format.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "src/cli/commands.h"
#include "src/trace/trace_reader.h"
#include "src/trace/trace_writer.h"

namespace goalloc::cli {
namespace {

constexpr size_t kBatch = 4096;

struct ConvertOptions {
  std::string in, out;
};

// What glibc's mtrace format cannot express, counted over the events written.
struct MtraceLosses {
  uint64_t tid = 0, scan = 0, time = 0, calloc = 0, aligned = 0;
  void Count(const trace::Event& e) {
    tid += e.tid != 0;
    scan += e.scan;
    time += e.t != trace::kNoTime;
    calloc += e.op == trace::Op::kCalloc;
    aligned += e.op == trace::Op::kAlignedAlloc;
  }
  std::vector<std::string> Describe(bool has_meta) const {
    std::vector<std::string> lost;
    if (tid) lost.push_back(fmt::format("thread ids ({} events not on thread 0)", tid));
    if (scan) lost.push_back(fmt::format("scan flags ({} events)", scan));
    if (time) lost.push_back(fmt::format("timestamps ({} events)", time));
    if (calloc) lost.push_back(fmt::format("calloc ({} events written as malloc)", calloc));
    if (aligned) {
      lost.push_back(fmt::format("alignment ({} aligned_alloc events written as malloc)", aligned));
    }
    if (has_meta) lost.push_back("meta");
    return lost;
  }
};

int RunConvert(const ConvertOptions& o) {
  trace::OutputFormat format;
  try {
    format = trace::FormatFromName(o.out);
  } catch (const std::invalid_argument& e) {
    throw UsageError(e.what());
  }
  std::unique_ptr<trace::TraceReader> reader = trace::OpenTrace(o.in);
  std::unique_ptr<trace::TraceWriter> writer;
  try {
    writer = trace::CreateTraceWriter(o.out, reader->meta());
  } catch (const std::runtime_error& e) {
    throw UsageError(e.what());
  }
  MtraceLosses losses;
  bool to_mtrace = format.encoding == trace::Encoding::kMtrace;
  uint64_t events = 0;
  std::vector<trace::Event> batch(kBatch);
  while (size_t n = reader->ReadBatch(batch)) {
    for (size_t i = 0; i < n; ++i) {
      if (to_mtrace) losses.Count(batch[i]);
      writer->Write(batch[i]);
    }
    events += n;
  }
  writer->Finish();
  if (to_mtrace) {
    std::vector<std::string> lost = losses.Describe(reader->meta() != "{}");
    if (!lost.empty()) {
      fmt::print(stderr, "warning: {}: the mtrace format cannot carry {}; they are lost\n", o.out,
                 fmt::join(lost, ", "));
    }
  }
  fmt::print(stderr, "converted {} events: {} ({}) -> {} ({}{})\n", events, reader->path(),
             trace::EncodingName(reader->encoding()), o.out, trace::EncodingName(format.encoding),
             format.compression == trace::Compression::kNone
                 ? ""
                 : fmt::format(", {}", trace::CompressionName(format.compression)));
  return 0;
}

}  // namespace

void AddConvertCommand(CLI::App& root, Commands& out) {
  auto options = std::make_shared<ConvertOptions>();
  CLI::App* sub = root.add_subcommand(
      "convert", "convert a trace between encodings (JSON, glibc mtrace text, binary .gat)");
  sub->add_option("IN", options->in, "input trace (any encoding; .gz/.zst; - = stdin)")->required();
  sub->add_option("-o,--output", options->out,
                  "output trace; the encoding comes from the name: .json, .gat or .mtrace, "
                  "optionally followed by .gz or .zst")
      ->required();
  out.emplace_back(sub, [options] { return RunConvert(*options); });
}

}  // namespace goalloc::cli
