// Clang's thread-safety annotations (-Wthread-safety; .bazelrc's config "contracts" makes
// its findings errors): which lock guards a field, which lock a function needs or takes.
// Empty under other compilers, which check nothing. The names follow clang's documentation
// (clang.llvm.org/docs/ThreadSafetyAnalysis.html) and abseil's thread_annotations.h.
#pragma once

#if defined(__clang__)
#define GOALLOC_THREAD_ANNOTATION(x) __attribute__((x))
#else
#define GOALLOC_THREAD_ANNOTATION(x)
#endif

#define CAPABILITY(x) GOALLOC_THREAD_ANNOTATION(capability(x))
#define SCOPED_CAPABILITY GOALLOC_THREAD_ANNOTATION(scoped_lockable)
#define GUARDED_BY(x) GOALLOC_THREAD_ANNOTATION(guarded_by(x))
#define REQUIRES(...) GOALLOC_THREAD_ANNOTATION(requires_capability(__VA_ARGS__))
#define EXCLUDES(...) GOALLOC_THREAD_ANNOTATION(locks_excluded(__VA_ARGS__))
#define ACQUIRE(...) GOALLOC_THREAD_ANNOTATION(acquire_capability(__VA_ARGS__))
#define RELEASE(...) GOALLOC_THREAD_ANNOTATION(release_capability(__VA_ARGS__))
#define RETURN_CAPABILITY(x) GOALLOC_THREAD_ANNOTATION(lock_returned(x))
#define NO_THREAD_SAFETY_ANALYSIS GOALLOC_THREAD_ANNOTATION(no_thread_safety_analysis)

// A reader that runs while no other thread is inside the heap (heap.h's stop-the-world
// contract), so it reads guarded fields without their locks: a rule the analysis cannot
// see, hence exempt from it.
#define WORLD_STOPPED NO_THREAD_SAFETY_ANALYSIS
