// The three decoders behind OpenTrace, and the detection that picks one from the content.
// Exposed for the unit tests and the fuzz targets, which feed bytes from memory; everything
// else opens traces with OpenTrace.
#pragma once

#include <memory>
#include <string>

#include "src/trace/byte_source.h"
#include "src/trace/trace_reader.h"

namespace goalloc::trace {

// `source` yields decompressed bytes; `compression` is only reported back. `buffer_bytes` is
// the read window (the fuzz targets make it tiny so that every refill path is exercised; an
// mtrace line must fit in it, a binary record window is 64 bytes).
inline constexpr size_t kDefaultBufferBytes = size_t{1} << 20;
std::unique_ptr<TraceReader> MakeJsonReader(std::string path, std::unique_ptr<ByteSource> source,
                                            Compression compression,
                                            size_t buffer_bytes = kDefaultBufferBytes);
std::unique_ptr<TraceReader> MakeMtraceReader(std::string path, std::unique_ptr<ByteSource> source,
                                              Compression compression,
                                              size_t buffer_bytes = kDefaultBufferBytes);
std::unique_ptr<TraceReader> MakeBinaryReader(std::string path, std::unique_ptr<ByteSource> source,
                                              Compression compression,
                                              size_t buffer_bytes = kDefaultBufferBytes);

// Decompresses `raw` if needed, detects the encoding and returns its decoder. Throws
// TraceError when the bytes are none of the three encodings.
std::unique_ptr<TraceReader> OpenTraceSource(std::string path, std::unique_ptr<ByteSource> raw);

}  // namespace goalloc::trace
