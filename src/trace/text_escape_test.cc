#include "src/trace/text_escape.h"

#include <gtest/gtest.h>

#include <string>

namespace goalloc::trace {
namespace {

using namespace std::string_literals;

struct EscapeCase {
  std::string input, json, message;
};

TEST(TextEscape, Table) {
  const EscapeCase cases[] = {
      {"plain ascii", "plain ascii", "plain ascii"},
      {"caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80", "caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80",
       "caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80"},
      {"a\xFF"
       "b",
       "a\\xFFb", "a\\xFFb"},
      {"\xC3", "\\xC3", "\\xC3"},                                            // truncated sequence
      {"\xC0\xAF", "\\xC0\\xAF", "\\xC0\\xAF"},                              // overlong '/'
      {"\xED\xA0\x80", "\\xED\\xA0\\x80", "\\xED\\xA0\\x80"},                // surrogate
      {"\xF4\x90\x80\x80", "\\xF4\\x90\\x80\\x80", "\\xF4\\x90\\x80\\x80"},  // > U+10FFFF
      {"op\x1B[31mred", "op\x1B[31mred", "op\\x1B[31mred"},
      {"a\0b"s, "a\0b"s, "a\\x00b"},
      {"line\nnext\x7F", "line\nnext\x7F", "line\\x0Anext\\x7F"},
      {"back\\slash", "back\\slash", "back\\slash"},
  };
  for (const EscapeCase& c : cases) {
    EXPECT_EQ(EscapeInvalidUtf8(c.input), c.json) << c.input;
    EXPECT_EQ(EscapeForMessage(c.input), c.message) << c.input;
  }
}

}  // namespace
}  // namespace goalloc::trace
