// The JSON decoder: every field, defaults, unknown keys and values of any shape, escapes,
// meta, streaming across refills one byte at a time, and the malformed-input messages.
#include <gtest/gtest.h>

#include "src/trace/decoders.h"
#include "src/trace/test_util.h"
#include "src/trace/trace_error.h"

namespace goalloc::trace {
namespace {

using testing::ReadAll;
using testing::TrickleSource;

std::string Doc(const std::string& events, const std::string& extra = "") {
  return R"({"format":"goalloc-trace","version":1)" + extra + R"(,"events":[)" + events + "]}";
}

std::vector<Event> Decode(const std::string& text, size_t step = 1 << 20) {
  auto reader =
      MakeJsonReader("t.json", std::make_unique<TrickleSource>(text, step), Compression::kNone);
  return ReadAll(*reader, 3);
}

std::string ErrorOf(const std::string& text, size_t step = 1 << 20) {
  try {
    Decode(text, step);
  } catch (const TraceError& e) {
    return e.what();
  }
  return "no error";
}

TEST(JsonReader, EveryOpAndField) {
  std::string events = R"(
    {"op":"malloc","id":1,"size":24},
    {"op":"calloc","tid":3,"id":2,"size":400,"scan":true,"t":5},
    {"op":"aligned_alloc","id":3,"size":4096,"align":4096,"scan":false},
    {"op":"realloc","id":1,"new_id":4,"size":48},
    {"size":7,"id":2,"op":"free","t":9223372036854775807})";
  std::vector<Event> got = Decode(Doc(events));
  std::vector<Event> want = {
      {.op = Op::kMalloc, .id = 1, .size = 24},
      {.op = Op::kCalloc, .scan = true, .tid = 3, .id = 2, .size = 400, .t = 5},
      {.op = Op::kAlignedAlloc, .id = 3, .size = 4096, .align = 4096},
      {.op = Op::kRealloc, .id = 1, .new_id = 4, .size = 48},
      {.op = Op::kFree, .id = 2, .t = 9223372036854775807ull},  // size ignored on free
  };
  EXPECT_EQ(got, want);
}

TEST(JsonReader, UnknownKeysOfAnyShapeAndEscapedKeys) {
  std::string events =
      R"({"op":"malloc","x":{"a":[1,-2.5e+3,true,null,{"b":"\"\\\u00e9\ud83d\ude00"}],"c":{}},
    "\u0069d":18446744073709551615,"size":0,"y":[]})";
  std::vector<Event> got = Decode(Doc(events, R"(,"other":[[[]]])"));
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].id, 18446744073709551615ull);
  EXPECT_EQ(got[0].size, 0u);
}

TEST(JsonReader, MetaIsKeptAsText) {
  auto reader =
      MakeJsonReader("t.json", MakeMemorySource(Doc("", R"(,"meta": {"program":"a b","n":[1,2]})")),
                     Compression::kNone);
  EXPECT_EQ(reader->meta(), R"({"program":"a b","n":[1,2]})");
  EXPECT_TRUE(ReadAll(*reader).empty());
}

TEST(JsonReader, StreamsAcrossEveryRefillBoundary) {
  std::string events;
  std::vector<Event> want;
  for (uint64_t i = 0; i < 200; ++i) {
    events += (i ? "," : "") + std::string(R"( { "op" : "realloc" , "tid" : )") +
              std::to_string(i % 5) + R"(, "id":)" + std::to_string(i * 1000003) + R"(,"new_id":)" +
              std::to_string(i + 7) + R"(,"size":)" + std::to_string(i * 13) +
              R"(,"k":"\u0041bc\n","scan":)" + (i % 2 ? "true" : "false") + "}\n";
    want.push_back({.op = Op::kRealloc,
                    .scan = i % 2 == 1,
                    .tid = static_cast<uint32_t>(i % 5),
                    .id = i * 1000003,
                    .new_id = i + 7,
                    .size = i * 13});
  }
  for (size_t step : {1, 2, 3, 7, 64}) {
    SCOPED_TRACE(step);
    EXPECT_EQ(Decode(Doc(events, R"(,"meta":{"x":"y"})"), step), want);
  }
}

struct BadCase {
  std::string text, message;
};

TEST(JsonReader, MalformedInputNamesEventAndPlace) {
  const BadCase cases[] = {
      {"", "a JSON trace is an object"},
      {"[]", "a JSON trace is an object"},
      {R"({"format":"other","version":1,"events":[]})",
       "not a goalloc trace: \"format\" is \"other\""},
      {R"({"format":"goalloc-trace","version":2,"events":[]})", "unsupported trace version 2"},
      {R"({"format":"goalloc-trace","events":[]})", "missing \"version\""},
      {R"({"version":1,"events":[]})", "missing \"format\""},
      {R"({"format":"goalloc-trace","version":1})", "missing \"events\""},
      {Doc(R"({"op":"mmap","id":1})"), "event 0 (line 1, byte 54): unknown op \"mmap\""},
      {Doc(R"({"op":"malloc","id":1,"size":1},{"op":"malloc","id":2})"),
       "event 1 (line 1, byte 101): malloc event has no \"size\""},
      {Doc(R"({"op":"malloc","id":1,"size":-1})"), "\"size\" must not be negative"},
      {Doc(R"({"op":"malloc","id":1,"size":1.5})"),
       "\"size\" must be an unsigned integer, not a fraction"},
      {Doc(R"({"op":"malloc","id":1,"size":"1"})"),
       "\"size\" must be an unsigned integer, not a string"},
      {Doc(R"({"op":"malloc","id":1,"size":140737488355328})"),
       "\"size\" 140737488355328 is not below 2^47"},
      {Doc(R"({"op":"malloc","id":18446744073709551616,"size":1})"), "\"id\" is too large"},
      {Doc(R"({"op":"aligned_alloc","id":1,"size":8,"align":48})"),
       "\"align\" 48 is not a power of two"},
      {Doc(R"({"op":"realloc","id":1,"size":8})"), "realloc event has no \"new_id\""},
      {Doc(R"({"op":"free","id":1,"scan":1})"), "\"scan\" must be true or false, not a number"},
      {Doc(R"({"op":"free","id":1,"tid":4294967296})"), "\"tid\" is too large"},
      {Doc(R"({"op":"free","id":1} {"op":"free","id":2})"), "expected ',' or ']' after an event"},
      {Doc(R"(5)"), "an event must be an object, not a number"},
      {Doc(R"({"op":"free","id":01})"), "leading zero"},
      {Doc(R"({"op":"free","id":1,"x":[1,}])"), "expected a value"},
      {Doc(R"({"op":"free","id":1,"x":"a)"
           "\x01"
           R"("})"),
       "control character 0x01 in string"},
      {Doc(R"({"op":"free","id":1,"x":"\q"})"), "invalid escape \\q"},
      {Doc(R"({"op":"free","id":1,"x":"\ud800"})"), "unpaired surrogate"},
      {Doc(R"({"op":"free","id":1,"x":tru})"), "invalid literal"},
      {R"({"format":"goalloc-trace","version":1,"events":[{"op":"free","id":1})",
       "expected ',' or ']' after an event, found end of file"},
      {R"({"format":"goalloc-trace","version":1,"events":[{"op":"fr)", "unterminated string"},
      {Doc("") + "x", "unexpected data after the trace object"},
      {Doc("", R"(,"events":[])"), "duplicate \"events\""},
  };
  for (const BadCase& c : cases) {
    SCOPED_TRACE(c.text);
    std::string error = ErrorOf(c.text);
    EXPECT_NE(error.find("t.json: event "), std::string::npos) << error;
    EXPECT_NE(error.find(c.message), std::string::npos) << error;
    // Read a byte at a time, the window holds nothing before the current byte: the same
    // byte offset and message, the line only where it is still known.
    std::string trickled = ErrorOf(c.text, 1);
    auto tail = [](const std::string& e) { return e.substr(std::min(e.find("byte "), e.size())); };
    EXPECT_EQ(tail(trickled), tail(error));
  }
}

TEST(JsonReader, DeepNestingIsRefusedNotOverflowed) {
  std::string deep = std::string(100000, '[') + std::string(100000, ']');
  EXPECT_NE(ErrorOf(Doc(R"({"op":"free","id":1,"x":)" + deep + "}")).find("nested too deeply"),
            std::string::npos);
}

}  // namespace
}  // namespace goalloc::trace
