// libFuzzer target for the json decoder (scripts/fuzz runs it; build with --config=fuzz).
#include "src/trace/fuzz/fuzz_decoder.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  goalloc::trace::FuzzDecoder(goalloc::trace::MakeJsonReader, data, size);
  return 0;
}
