// Linear and band scales (see scale.h).
#include "src/report/svg/scale.h"

namespace goalloc::report::svg {

double LinearScale::operator()(double value) const {
  if (d1_ == d0_) return r0_;
  return r0_ + (value - d0_) / (d1_ - d0_) * (r1_ - r0_);
}

BandScale::BandScale(size_t count, double r0, double r1, double padding)
    : r0_(r0), step_(count ? (r1 - r0) / double(count) : 0), padding_(padding) {}

}  // namespace goalloc::report::svg
