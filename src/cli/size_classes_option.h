// `--size-classes FILE` of replay, compare and sizeclasses: the table in FILE
// (src/alloc/size_class_file.h), a malformed one a UsageError (exit 2) naming the line.
#pragma once

#include <string>

#include "src/alloc/size_class_file.h"

namespace goalloc::cli {

alloc::SizeClassFile LoadSizeClassesOption(const std::string& path);

}  // namespace goalloc::cli
