// Scales: how a chart maps data to pixels. LinearScale maps a value domain onto a pixel
// range (either direction, so a y axis can grow upwards); BandScale splits a pixel range
// into equal bands, one per category, for bar charts.
#pragma once

#include <cstddef>

namespace goalloc::report::svg {

class LinearScale {
 public:
  // Maps domain [d0, d1] onto range [r0, r1]; a degenerate domain maps everything to r0.
  LinearScale(double d0, double d1, double r0, double r1) : d0_(d0), d1_(d1), r0_(r0), r1_(r1) {}

  double operator()(double value) const;
  double domain_min() const { return d0_; }
  double domain_max() const { return d1_; }

 private:
  double d0_, d1_, r0_, r1_;
};

class BandScale {
 public:
  // `count` bands over [r0, r1]; `padding` (0..1) of each step is left empty between bands.
  BandScale(size_t count, double r0, double r1, double padding);

  double start(size_t band) const { return r0_ + step_ * double(band) + step_ * padding_ / 2; }
  double center(size_t band) const { return r0_ + step_ * (double(band) + 0.5); }
  double width() const { return step_ * (1 - padding_); }
  double step() const { return step_; }

 private:
  double r0_, step_, padding_;
};

}  // namespace goalloc::report::svg
