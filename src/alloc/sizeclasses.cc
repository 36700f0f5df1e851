// The one derived figure of the size-class table that is not needed at allocation time.
#include "src/alloc/sizeclasses.h"

namespace goalloc::alloc {

double MaxWastePercent(int size_class) {
  const SpanClassInfo& info = kSpanClassInfo[MakeSpanClass(size_class, true)];
  double span = double(info.npages) * double(kPageSize);
  double prev = kClassToSize[size_class - 1];
  // Every slot holds an object of prev+1 bytes: the rest of the span is wasted.
  double used = double(info.nelems) * (prev + 1);
  return 100.0 * (span - used) / span;
}

}  // namespace goalloc::alloc
