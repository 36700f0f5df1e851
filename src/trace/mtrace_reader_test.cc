// The glibc mtrace decoder: the shapes glibc writes (with and without the caller prefix),
// realloc pairs, failed calls that are not events, and malformed lines.
#include <gtest/gtest.h>

#include "src/trace/decoders.h"
#include "src/trace/test_util.h"
#include "src/trace/trace_error.h"

namespace goalloc::trace {
namespace {

std::vector<Event> Decode(const std::string& text, size_t step = 1 << 20) {
  auto reader = MakeMtraceReader("t.mtrace", std::make_unique<testing::TrickleSource>(text, step),
                                 Compression::kNone);
  return testing::ReadAll(*reader, 2);
}

std::string ErrorOf(const std::string& text) {
  try {
    Decode(text);
  } catch (const TraceError& e) {
    return e.what();
  }
  return "no error";
}

TEST(MtraceReader, GlibcOutput) {
  std::string text =
      "= Start\n"
      "@ ./a.out:[0x401136] + 0x4052a0 0x18\n"
      "@ /lib/libc.so.6:(__libc_start_main+0xf0)[0x7f3a2c02a1ca] + 0x4052c0 0\n"
      "@ ./my prog:(grow+0x1c)[0x40116e] < 0x4052a0\n"
      "@ ./my prog:(grow+0x1c)[0x40116e] > 0x4056F0 0x30\n"
      "@ ./a.out:[0x401180] ! 0x4056f0 0x800000\n"
      "@ ./a.out:[0x401190] + (nil) 0x7fffffff\n"
      "- 0x4052c0\r\n"
      "\n"
      "= End";
  std::vector<Event> want = {
      {.op = Op::kMalloc, .id = 0x4052a0, .size = 0x18},
      {.op = Op::kMalloc, .id = 0x4052c0, .size = 0},
      {.op = Op::kRealloc, .id = 0x4052a0, .new_id = 0x4056f0, .size = 0x30},
      {.op = Op::kFree, .id = 0x4052c0},
  };
  for (size_t step : {1, 5, 1 << 20}) {
    SCOPED_TRACE(step);
    EXPECT_EQ(Decode(text, step), want);
  }
}

TEST(MtraceReader, MalformedLinesNameTheLine) {
  const std::pair<std::string, std::string> cases[] = {
      {"= Start\n+ 0x10\n", "event 0 (line 2, byte 8): size \"\" is not a hexadecimal number"},
      {"+ 0x10 0x8\n- zz\n",
       "event 1 (line 2, byte 11): address \"zz\" is not a hexadecimal address"},
      {"< 0x10\n- 0x10\n", "'<' line not followed by a '>' line"},
      {"> 0x10 0x8\n", "'>' line without a '<' line before it"},
      {"+ 0x10 0x8\n< 0x10\n", "the trace ends after '<' with no '>' line"},
      {"+ 0x10 0x800000000000\n", "size 140737488355328 is not below 2^47"},
      {"+ 0x10 0x8 extra\n", "unexpected text \"extra\""},
      {"* 0x10\n", "unknown mtrace operation '*'"},
      {"@ ./a.out:[0x401136 + 0x10 0x8\n", "caller after '@' does not end with \"] \""},
      {"+ 0x10000000000000000 0x8\n", "is not a hexadecimal address"},
  };
  for (const auto& [text, message] : cases) {
    SCOPED_TRACE(text);
    std::string error = ErrorOf(text);
    EXPECT_NE(error.find("t.mtrace: event"), std::string::npos) << error;
    EXPECT_NE(error.find(message), std::string::npos) << error;
  }
}

}  // namespace
}  // namespace goalloc::trace
