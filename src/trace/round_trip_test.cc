// Writers and readers together: random traces (fixed, printed seed) written in every
// encoding and compression read back exactly; detection by content, not by name; atomic
// output; and the binary decoder's refusal of every truncation.
#include <gtest/gtest.h>
#include <zlib.h>

#include <filesystem>
#include <random>

#include "src/trace/decoders.h"
#include "src/trace/test_util.h"
#include "src/trace/trace_error.h"
#include "src/trace/trace_writer.h"

namespace goalloc::trace {
namespace {

using testing::ReadAll;
using testing::ReadFile;
using testing::TempPath;
using testing::WriteFile;

constexpr uint32_t kSeed = 20261125;

// Events using every field; `mtrace_only` limits them to what mtrace carries.
std::vector<Event> RandomEvents(size_t n, bool mtrace_only) {
  std::mt19937_64 rng(kSeed);
  auto pick = [&](uint64_t below) {
    return std::uniform_int_distribution<uint64_t>(0, below - 1)(rng);
  };
  std::vector<Event> out;
  uint64_t t = 0;
  for (size_t i = 0; i < n; ++i) {
    Event e;
    Op ops[] = {Op::kMalloc, Op::kCalloc, Op::kRealloc, Op::kAlignedAlloc, Op::kFree};
    e.op = mtrace_only ? (Op[]){Op::kMalloc, Op::kRealloc, Op::kFree}[pick(3)] : ops[pick(5)];
    uint64_t id_kind = pick(3);
    e.id = id_kind == 0 ? pick(100) : id_kind == 1 ? 0x7f0000000000 + 16 * pick(1 << 20) : rng();
    if (e.op == Op::kRealloc) e.new_id = pick(2) ? e.id : rng();
    if (e.op != Op::kFree) e.size = pick(4) == 0 ? pick(kMaxSize) : pick(4096);
    if (e.op == Op::kAlignedAlloc) e.align = uint64_t{1} << pick(64);
    if (!mtrace_only) {
      e.tid = pick(3) ? static_cast<uint32_t>(pick(8)) : static_cast<uint32_t>(rng());
      e.scan = pick(2);
      if (pick(4)) {
        t = pick(8) ? t + pick(1000) : pick(uint64_t{1} << 63);
        e.t = t;
      }
    }
    out.push_back(e);
  }
  return out;
}

void WriteTrace(const std::string& path, const std::vector<Event>& events,
                const std::string& meta) {
  auto w = CreateTraceWriter(path, meta);
  for (const Event& e : events) w->Write(e);
  w->Finish();
}

TEST(RoundTrip, EveryEncodingAndCompression) {
  std::printf("seed %u\n", kSeed);
  for (const char* ext : {".json", ".gat", ".mtrace"}) {
    bool mtrace = std::string(ext) == ".mtrace";
    std::vector<Event> events = RandomEvents(20000, mtrace);
    for (const char* comp : {"", ".gz", ".zst"}) {
      std::string path = TempPath(std::string("rt") + ext + comp);
      SCOPED_TRACE(path);
      WriteTrace(path, events, R"({"program":"test"})");
      auto reader = OpenTrace(path);
      EXPECT_EQ(EncodingName(reader->encoding()), mtrace                          ? "mtrace"
                                                  : ext + 1 == std::string("gat") ? "binary"
                                                                                  : "json");
      EXPECT_EQ(CompressionName(reader->compression()), *comp == 0       ? "none"
                                                        : comp[1] == 'g' ? "gzip"
                                                                         : "zstd");
      EXPECT_EQ(reader->meta(), mtrace ? "{}" : R"({"program":"test"})");
      EXPECT_EQ(ReadAll(*reader, 777), events);
    }
  }
}

TEST(RoundTrip, ChainOfConversionsIsExact) {
  std::vector<Event> events = RandomEvents(5000, false);
  WriteTrace(TempPath("a.json.zst"), events, "{}");
  std::string prev = TempPath("a.json.zst");
  for (const char* next : {"b.gat.gz", "c.json", "d.gat"}) {
    auto reader = OpenTrace(prev);
    WriteTrace(TempPath(next), ReadAll(*reader), reader->meta());
    prev = TempPath(next);
  }
  auto reader = OpenTrace(prev);
  EXPECT_EQ(ReadAll(*reader), events);
}

TEST(Detection, ByContentNotName) {
  std::vector<Event> events = RandomEvents(100, true);
  WriteTrace(TempPath("x.gat.zst"), events, "{}");
  WriteTrace(TempPath("x.mtrace"), events, "{}");
  WriteTrace(TempPath("x.json.gz"), events, "{}");
  std::filesystem::rename(TempPath("x.gat.zst"), TempPath("looks.json"));
  std::filesystem::rename(TempPath("x.mtrace"), TempPath("looks.gat"));
  std::filesystem::rename(TempPath("x.json.gz"), TempPath("looks.txt"));
  for (auto [name, encoding] : {std::pair{"looks.json", Encoding::kBinary},
                                {"looks.gat", Encoding::kMtrace},
                                {"looks.txt", Encoding::kJson}}) {
    auto reader = OpenTrace(TempPath(name));
    EXPECT_EQ(reader->encoding(), encoding) << name;
    EXPECT_EQ(ReadAll(*reader), events) << name;
  }
}

std::string OpenError(const std::string& name, const std::string& data) {
  WriteFile(TempPath(name), data);
  try {
    auto reader = OpenTrace(TempPath(name));
    ReadAll(*reader);
  } catch (const TraceError& e) {
    return e.what();
  }
  return "no error";
}

TEST(Detection, UnknownEmptyMissingAndCorrupt) {
  EXPECT_NE(OpenError("e", "").find("empty file"), std::string::npos);
  EXPECT_NE(OpenError("u", "hello").find("unrecognised trace encoding"), std::string::npos);
  EXPECT_NE(OpenError("z", std::string("\x28\xb5\x2f\xfd\x00\x00garbage", 12)).find("zstd"),
            std::string::npos);
  EXPECT_NE(OpenError("g", std::string("\x1f\x8b\x08\x00garbage", 11)).find("gzip"),
            std::string::npos);
  try {
    OpenTrace(TempPath("does-not-exist"));
    FAIL();
  } catch (const TraceError& e) {
    EXPECT_NE(std::string(e.what()).find("cannot open: No such file"), std::string::npos);
  }
}

std::string GzipMember(const std::string& data) {
  z_stream z{};
  deflateInit2(&z, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&z, data.size()) + 32, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(deflate(&z, Z_FINISH), Z_STREAM_END);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

TEST(Compression, ConcatenatedGzipMembersAreOneStream) {
  std::vector<Event> events = RandomEvents(2000, false);
  WriteTrace(TempPath("whole.json"), events, "{}");
  std::string text = ReadFile(TempPath("whole.json"));
  size_t half = text.size() / 2;
  WriteFile(TempPath("members.json.gz"),
            GzipMember(text.substr(0, half)) + GzipMember(text.substr(half)));
  auto reader = OpenTrace(TempPath("members.json.gz"));
  EXPECT_EQ(reader->compression(), Compression::kGzip);
  EXPECT_EQ(ReadAll(*reader), events);
}

TEST(Compression, TruncatedStreamsAreErrors) {
  std::vector<Event> events = RandomEvents(3000, false);
  for (const char* name : {"t.json.gz", "t.json.zst"}) {
    WriteTrace(TempPath(name), events, "{}");
    std::string data = ReadFile(TempPath(name));
    std::string error = OpenError(std::string("cut-") + name, data.substr(0, data.size() - 9));
    EXPECT_NE(error.find("truncated"), std::string::npos) << error;
  }
}

TEST(BinaryReader, EveryTruncationIsAnErrorAndNothingElse) {
  std::vector<Event> events = RandomEvents(60, false);
  WriteTrace(TempPath("full.gat"), events, R"({"m":1})");
  std::string data = ReadFile(TempPath("full.gat"));
  for (size_t cut = 1; cut < data.size(); ++cut) {
    std::string part = data.substr(0, cut);
    EXPECT_THROW(ReadAll(*MakeBinaryReader("cut.gat", MakeMemorySource(part), Compression::kNone)),
                 TraceError)
        << cut;
  }
  auto more = data + "x";
  EXPECT_THROW(ReadAll(*MakeBinaryReader("x.gat", MakeMemorySource(more), Compression::kNone)),
               TraceError);
}

TEST(BinaryReader, HeaderErrors) {
  EXPECT_NE(OpenError("v.gat", std::string("\x89GAT\r\n\x1a\n\x02\x02{}\x07\x00", 14))
                .find("unsupported binary trace version 2"),
            std::string::npos);
  EXPECT_NE(OpenError("s.gat", std::string("\x89GAT\r\n\x1a\n\x01\x02{}\x04\x00\x10\x01", 16))
                .find("size in a free record"),
            std::string::npos);
  EXPECT_NE(OpenError("r.gat", std::string("\x89GAT\r\n\x1a\n\x01\x02{}\x00\x00\x00\x01", 16))
                .find("truncated trace: the last record ends early"),
            std::string::npos);
  EXPECT_NE(OpenError("m.gat", std::string("\x89GATxxxx", 8)).find("bad magic"), std::string::npos);
  EXPECT_NE(OpenError("o.gat", std::string("\x89GAT\r\n\x1a\n\x01\x02{}\x05\x00\x00", 15))
                .find("invalid op 5"),
            std::string::npos);
  EXPECT_NE(OpenError("c.gat", std::string("\x89GAT\r\n\x1a\n\x01\x02{}\x07\x01\0\0\0\0\0\0\0", 21))
                .find("end record counts 1 events, but 0 were read"),
            std::string::npos);
}

TEST(Writer, AtomicNothingAppearsUntilFinishAndBadNamesAreRefused) {
  std::string path = TempPath("atomic.gat");
  {
    auto w = CreateTraceWriter(path);
    w->Write(Event{.op = Op::kMalloc, .id = 1, .size = 8});
    EXPECT_FALSE(std::filesystem::exists(path));
  }  // destroyed unfinished
  EXPECT_FALSE(std::filesystem::exists(path));
  for (const auto& entry : std::filesystem::directory_iterator(TempPath(""))) {
    EXPECT_EQ(entry.path().filename().string().find("atomic.gat.tmp"), std::string::npos);
  }
  EXPECT_THROW(CreateTraceWriter(TempPath("trace.txt")), std::invalid_argument);
  EXPECT_THROW(CreateTraceWriter(TempPath("no-such-dir/t.json")), std::runtime_error);
}

}  // namespace
}  // namespace goalloc::trace
