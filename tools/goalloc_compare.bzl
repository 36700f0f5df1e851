"""goalloc_compare: a corpus of heap traces as Bazel tests, one per trace (docs/ci.md).

Each test runs `goalloc-replay compare TRACE` on the allocators given and, with a baseline,
fails when a deterministic figure (go in sim mode; in GC mode also its peak heap and GC
cycles) grew past its threshold. Bazel caches a
test's result by the content of its inputs (the binary, the trace, the baseline, this
script), so `bazel test` replays only the traces whose result could have changed, and with
--remote_executor / --remote_cache it replays them on a build farm and shares the results.
"""

def _test_name(name, trace):
    # "//traces:real/sqlite3.gat.zst" -> "NAME_real_sqlite3_gat" (the format stays: small.gat
    # and small.json are two traces)
    base = trace.split(":")[-1]
    for ext in [".gz", ".zst"]:
        if base.endswith(ext):
            base = base[:-len(ext)]
    clean = "".join([c if c.isalnum() else "_" for c in base.elems()])
    return name + "_" + clean

def goalloc_compare(
        name,
        traces,
        allocators = ["go", "glibc"],
        mode = "sim",
        baseline = None,
        max_regression = None,
        gogc = None,
        memory_limit = None,
        binary = None,
        size = "medium",
        **kwargs):
    """One cached test per trace, and a test_suite NAME of them all.

    Args:
      name: the test_suite's name; each test is NAME_<trace's file name>.
      traces: trace files (labels), one test each.
      allocators: the columns' allocators (compare --allocators).
      mode: sim (deterministic, the default) or parallel; empty: go in both modes and the
        system allocators in parallel mode, as compare does.
      baseline: a goalloc-compare/1 file (compare --write-baseline) holding these traces;
        None: no gate, only the replays' own checks.
      max_regression: compare --max-regression SPEC; None: the defaults of docs/ci.md.
      gogc: compare --gogc (an integer, or "off"): go in GC mode, whose baseline must have
        been written with the same GOGC and memory limit; None: explicit frees.
      memory_limit: compare --memory-limit (e.g. "512MiB"): GC mode with that limit.
      binary: the goalloc-replay to run; None: this repository's (also when the macro is
        loaded from another workspace that has this one as an external repository).
      size: each test's size.
      **kwargs: passed to every test (tags, timeout, …).
    """
    binary = binary or str(Label("//src/cli:goalloc-replay"))
    script = str(Label("//tools:goalloc_compare_test.sh"))
    options = ["--allocators", ",".join(allocators)]
    if mode:
        options += ["--mode", mode]
    if max_regression:
        options += ["--max-regression", max_regression]
    if gogc != None:
        options += ["--gogc", str(gogc)]
    if memory_limit:
        options += ["--memory-limit", memory_limit]
    data = [binary] + ([baseline] if baseline else [])
    tests = []
    for trace in traces:
        test = _test_name(name, trace)
        native.sh_test(
            name = test,
            size = size,
            srcs = [script],
            args = [
                "$(rootpath %s)" % binary,
                "$(rootpath %s)" % trace,
                "$(rootpath %s)" % baseline if baseline else "''",
            ] + options,
            data = data + [trace],
            **kwargs
        )
        tests.append(test)
    native.test_suite(name = name, tests = tests)
