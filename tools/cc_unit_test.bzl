"""cc_unit_test: a component's GoogleTest binary, NAME.cc beside the code it tests."""

def cc_unit_test(name, deps, size = "small", tags = ["sanitize"], **kwargs):
    """One test binary from NAME.cc, linked with gtest_main.

    Args:
      name: the test, and its source NAME.cc.
      deps: what it tests (gtest_main is added).
      size: Bazel's test size; "small" unless the test needs more.
      tags: "sanitize" runs it under ASan in scripts/test, "tsan" under TSan as well.
      **kwargs: any other cc_test attribute (data, args, ...).
    """
    native.cc_test(
        name = name,
        size = size,
        srcs = [name + ".cc"],
        tags = tags,
        deps = deps + ["//third_party:gtest_main"],
        **kwargs
    )
