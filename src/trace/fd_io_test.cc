// WriteAll and ReadExactly through a pipe: transfers larger than the pipe's buffer complete
// in several short writes and reads, and input that ends early is reported as truncated.
// ReadFromStart on a memfd: the whole file whatever the offset, errors named.
#include "src/trace/fd_io.h"

#include <gtest/gtest.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <stdexcept>
#include <string>
#include <system_error>
#include <thread>

namespace goalloc::trace {
namespace {

TEST(FdIo, TransfersMoreThanThePipeHoldsAndReportsTruncation) {
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  std::string sent(1 << 20, '\0');  // 16 times a default pipe buffer
  for (size_t i = 0; i < sent.size(); ++i) sent[i] = char(i * 7 + i / 4096);
  std::thread writer([&] {
    WriteAll(fds[1], sent.data(), sent.size(), "test write");
    ::close(fds[1]);
  });
  std::string got(sent.size(), '\0');
  ReadExactly(fds[0], got.data(), got.size(), "test read");
  writer.join();
  EXPECT_EQ(got, sent);
  char more;
  try {
    ReadExactly(fds[0], &more, 1, "test read");
    FAIL() << "no error at the end of the input";
  } catch (const std::runtime_error& e) {
    EXPECT_STREQ(e.what(), "test read: truncated");
  }
  ::close(fds[0]);
}

TEST(FdIo, AFailedWriteNamesWhatWasWritten) {
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  ::close(fds[1]);
  try {
    WriteAll(fds[0], "x", 1, "test write");  // the read end: EBADF
    FAIL() << "no error";
  } catch (const std::system_error& e) {
    EXPECT_EQ(e.code().value(), EBADF);
    EXPECT_NE(std::string(e.what()).find("test write"), std::string::npos) << e.what();
  }
  ::close(fds[0]);
}

TEST(FdIo, ReadFromStartReadsTheWholeFileFromItsFirstByte) {
  const int fd = ::memfd_create("fd_io_test", MFD_CLOEXEC);
  ASSERT_GE(fd, 0);
  std::string sent(200'000, '\0');  // several of ReadFromStart's 64 KiB reads
  for (size_t i = 0; i < sent.size(); ++i) sent[i] = char(i * 13 + i / 4096);
  WriteAll(fd, sent.data(), sent.size(), "test write");  // leaves the offset at the end
  EXPECT_EQ(ReadFromStart(fd, "test read"), sent);
  EXPECT_EQ(ReadFromStart(fd, "test read"), sent);  // again: it seeks back
  ::close(fd);
}

TEST(FdIo, AFailedReadFromStartNamesWhatWasRead) {
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  try {
    ReadFromStart(fds[1], "test read");  // a pipe cannot seek: ESPIPE
    FAIL() << "no error";
  } catch (const std::system_error& e) {
    EXPECT_EQ(e.code().value(), ESPIPE);
    EXPECT_NE(std::string(e.what()).find("test read"), std::string::npos) << e.what();
  }
  ::close(fds[0]);
  ::close(fds[1]);
}

}  // namespace
}  // namespace goalloc::trace
