// LoadSizeClassesOption (size_classes_option.h).
#include "src/cli/size_classes_option.h"

#include "src/cli/commands.h"

namespace goalloc::cli {

alloc::SizeClassFile LoadSizeClassesOption(const std::string& path) {
  try {
    return alloc::LoadSizeClassFile(path);
  } catch (const alloc::SizeClassFileError& e) {
    throw UsageError(e.what());
  }
}

}  // namespace goalloc::cli
