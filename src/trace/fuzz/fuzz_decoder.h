// The body shared by the decoder fuzz targets: decode arbitrary bytes with one decoder, apply
// the events to LiveObjects as inspect and the replay do, and accept only TraceError as a
// failure. Anything else (a crash, a sanitizer report, another exception) is a bug.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "src/trace/byte_source.h"
#include "src/trace/decoders.h"
#include "src/trace/live_objects.h"
#include "src/trace/trace_error.h"

namespace goalloc::trace {

using MakeReader = std::unique_ptr<TraceReader> (*)(std::string, std::unique_ptr<ByteSource>,
                                                    Compression, size_t);
// A small window, so that refills happen inside every kind of token and record.
inline constexpr size_t kFuzzBufferBytes = 256;

inline void FuzzDecoder(MakeReader make, const uint8_t* data, size_t size) {
  try {
    auto reader =
        make("fuzz", MakeMemorySource(std::string(reinterpret_cast<const char*>(data), size)),
             Compression::kNone, kFuzzBufferBytes);
    LiveObjects live;
    std::vector<Event> batch(64);
    uint64_t index = 0;
    while (size_t n = reader->ReadBatch(batch)) {
      for (size_t i = 0; i < n; ++i) {
        const Event& e = batch[i];
        if (e.size >= kMaxSize || (e.op == Op::kAlignedAlloc && (e.align & (e.align - 1)) != 0)) {
          __builtin_trap();  // a decoder let an invalid event through
        }
        live.Apply(e, index++);
      }
    }
  } catch (const TraceError&) {
  }
}

}  // namespace goalloc::trace
