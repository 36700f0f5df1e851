// Worker processes: every job's answer comes back in order whatever the parallelism, an
// answer larger than a pipe's buffer does not block, and a worker that dies is a failure
// that says how, not a lost or hung run.
#include "src/cli/worker_pool.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>

namespace goalloc::cli {
namespace {

TEST(WorkerPool, AnswersInOrderAtAnyParallelism) {
  for (size_t parallel : {1, 3, 8}) {
    size_t ticks = 0;
    std::vector<WorkerAnswer> answers = RunInWorkers(
        6, parallel,
        [](size_t i) { return std::to_string(i * i) + "@" + std::to_string(getpid()); },
        [&](const std::vector<size_t>& ended) { ticks = ended.size(); });
    ASSERT_EQ(answers.size(), 6u);
    EXPECT_EQ(ticks, 6u);
    for (size_t i = 0; i < answers.size(); ++i) {
      ASSERT_TRUE(answers[i].answered) << answers[i].failure;
      EXPECT_EQ(answers[i].text.substr(0, answers[i].text.find('@')), std::to_string(i * i));
      // Each job ran in a child, not here.
      EXPECT_NE(answers[i].text.substr(answers[i].text.find('@') + 1), std::to_string(getpid()));
    }
  }
}

TEST(WorkerPool, LargeAnswers) {
  std::vector<WorkerAnswer> answers = RunInWorkers(
      2, 2, [](size_t i) { return std::string(8 << 20, char('a' + i)); },
      [](const std::vector<size_t>&) {});
  EXPECT_EQ(answers[0].text, std::string(8 << 20, 'a'));
  EXPECT_EQ(answers[1].text, std::string(8 << 20, 'b'));
}

TEST(WorkerPool, AWorkerThatDiesIsAFailure) {
  std::vector<WorkerAnswer> answers = RunInWorkers(
      3, 2,
      [](size_t i) -> std::string {
        if (i == 1) std::abort();
        if (i == 2) _exit(7);
        return "ok";
      },
      [](const std::vector<size_t>&) {});
  EXPECT_TRUE(answers[0].answered);
  EXPECT_FALSE(answers[1].answered);
  EXPECT_EQ(answers[1].failure, "its worker process was killed by signal 6 (Aborted)");
  EXPECT_FALSE(answers[2].answered);
  EXPECT_EQ(answers[2].failure, "its worker process exited with status 7 without an answer");
}

TEST(WorkerPool, UsableCpus) { EXPECT_GE(UsableCpus(), 1u); }

}  // namespace
}  // namespace goalloc::cli
