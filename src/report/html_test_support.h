// Checks shared by the HTML report's tests: that a page is well formed (every element
// closed in order) and self-contained (nothing it would fetch), and counting in it.
#pragma once

#include <string>

namespace goalloc::report {

// "" when every non-void element is closed in order, else what is wrong and where.
std::string TagBalanceError(const std::string& html);
// "" when the page references nothing outside itself (no script, src, href, url(), @import).
std::string ExternalReference(const std::string& html);
size_t CountOf(const std::string& text, const std::string& what);

}  // namespace goalloc::report
