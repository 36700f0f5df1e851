// Making arbitrary bytes safe to show or to store as JSON text: bytes that are not part of
// valid UTF-8 (and, for messages, control bytes) become the four characters `\xNN`
// (two upper-case hex digits). Everything else, backslashes included, is kept as is.
#pragma once

#include <string>
#include <string_view>

namespace goalloc::trace {

// For JSON strings (a trace's `meta`): only bytes that are not valid UTF-8 are escaped;
// JSON itself escapes control characters.
std::string EscapeInvalidUtf8(std::string_view bytes);

// For messages on a terminal: bytes that are not valid UTF-8, and the C0 control bytes
// (NUL, ESC, newline…) and DEL, so that input cannot move the cursor, change colours or
// cut the message short.
std::string EscapeForMessage(std::string_view bytes);

}  // namespace goalloc::trace
