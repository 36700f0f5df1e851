// A program with known heap calls for tests/record_test.cc. Between two marker allocations
// (sizes kBeginMarker and kEndMarker) it makes exactly the calls it lists, on three
// threads taking turns at barriers, so their global order is fixed: every allocation
// function the recorder interposes, realloc in all its forms, calls that fail (not
// recorded), and frees of blocks allocated on other threads. After the end marker it
// writes the events a recorder must produce to the file named by argv[1], one a line:
//   op thread id new_id size align      (thread: 0 main, 1 and 2 the others; ids in hex)
// With "fork" as argv[2] it then forks a child that makes one malloc/free pair of size
// kChildSize, for the --follow-children test. It exits with status 3, which the recorder
// must pass on.
// `churn N` instead makes N malloc/free pairs on the main thread (N = 0: until killed) and
// exits with status 0, for the tests of a recording stopped early.
#define _GNU_SOURCE
#include <errno.h>
#include <malloc.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

enum { kBeginMarker = 0x5EED01, kEndMarker = 0x5EED02, kChildSize = 0x5EED03 };

struct Expected {
  const char* op;
  int thread;
  uintptr_t id;
  uintptr_t new_id;
  size_t size;
  size_t align;
};

static struct Expected expected[64];
static int n_expected;
static pthread_barrier_t turn[4];
static void* from_main;     // allocated by main, freed by thread 1
static void* from_thread1;  // allocated by thread 1, freed by thread 2
static void* also_thread1;

// A marker allocation; volatile, so the compiler cannot elide the malloc/free pair.
static void Marker(size_t size) {
  void* volatile p = malloc(size);
  free(p);
}

static void Expect(const char* op, int thread, void* id, void* new_id, size_t size, size_t align) {
  struct Expected e = {op, thread, (uintptr_t)id, (uintptr_t)new_id, size, align};
  expected[n_expected++] = e;
}

static void* Thread1(void* arg) {
  (void)arg;
  pthread_barrier_wait(&turn[0]);
  void* q = malloc(333);
  Expect("malloc", 1, q, 0, 333, 0);
  Expect("realloc", 1, q, 0, 200000, 0);
  from_thread1 = realloc(q, 200000);  // above the mmap threshold: moves
  expected[n_expected - 1].new_id = (uintptr_t)from_thread1;
  Expect("free", 1, from_main, 0, 0, 0);
  free(from_main);
  also_thread1 = malloc(64);
  Expect("malloc", 1, also_thread1, 0, 64, 0);
  pthread_barrier_wait(&turn[1]);
  pthread_barrier_wait(&turn[3]);
  return NULL;
}

static void* Thread2(void* arg) {
  (void)arg;
  pthread_barrier_wait(&turn[1]);
  Expect("free", 2, from_thread1, 0, 0, 0);
  free(from_thread1);
  Expect("free", 2, also_thread1, 0, 0, 0);
  free(also_thread1);
  void* t = aligned_alloc(4096, 4096);
  Expect("aligned_alloc", 2, t, 0, 4096, 4096);
  Expect("free", 2, t, 0, 0, 0);
  free(t);
  pthread_barrier_wait(&turn[2]);
  pthread_barrier_wait(&turn[3]);
  return NULL;
}

static int Churn(long pairs) {
  static void* volatile sink;  // volatile: the compiler may not drop a malloc/free pair
  for (long i = 0; pairs == 0 || i < pairs; ++i) {
    sink = malloc(16 + (size_t)(i % 200));
    free(sink);
  }
  return 0;
}

int main(int argc, char** argv) {
  if (argc == 3 && strcmp(argv[1], "churn") == 0) return Churn(atol(argv[2]));
  if (argc < 2) return 2;
  long page = sysconf(_SC_PAGESIZE);
  for (int i = 0; i < 4; ++i) pthread_barrier_init(&turn[i], NULL, i == 0 ? 2 : i == 3 ? 3 : 2);
  pthread_t t1, t2;
  pthread_create(&t1, NULL, Thread1, NULL);
  pthread_create(&t2, NULL, Thread2, NULL);
  Marker(kBeginMarker);

  void* a = malloc(24);
  Expect("malloc", 0, a, 0, 24, 0);
  from_main = calloc(10, 40);
  Expect("calloc", 0, from_main, 0, 400, 0);
  Expect("realloc", 0, a, 0, 100, 0);
  void* a2 = realloc(a, 100);
  expected[n_expected - 1].new_id = (uintptr_t)a2;
  void* c = aligned_alloc(64, 256);
  Expect("aligned_alloc", 0, c, 0, 256, 64);
  void* d = NULL;
  if (posix_memalign(&d, 128, 1000) != 0) return 1;
  Expect("aligned_alloc", 0, d, 0, 1000, 128);
  void* e = memalign(32, 70);
  Expect("aligned_alloc", 0, e, 0, 70, 32);
  void* m = memalign(24, 10);  // glibc rounds the alignment up to a power of two
  Expect("aligned_alloc", 0, m, 0, 10, 32);
  void* f = valloc(5000);
  Expect("aligned_alloc", 0, f, 0, 5000, (size_t)page);
  void* g = pvalloc(5000);
  Expect("aligned_alloc", 0, g, 0, (5000 + page - 1) / page * page, (size_t)page);
  void* h = realloc(NULL, 50);
  Expect("malloc", 0, h, 0, 50, 0);
  Expect("free", 0, h, 0, 0, 0);
  if (realloc(h, 0) != NULL) return 1;  // glibc: frees
  void* z = malloc(0);
  Expect("malloc", 0, z, 0, 0, 0);
  volatile size_t huge = SIZE_MAX / 2;
  if (malloc(huge) != NULL) return 1;  // fails: not recorded
  void* x;
  if (posix_memalign(&x, 3, 10) != EINVAL) return 1;  // fails: not recorded
  void* r = reallocarray(NULL, 10, 8);
  Expect("malloc", 0, r, 0, 80, 0);
  Expect("realloc", 0, r, 0, 160, 0);
  void* r2 = reallocarray(r, 20, 8);
  expected[n_expected - 1].new_id = (uintptr_t)r2;
  if (reallocarray(r2, huge, 8) != NULL) return 1;  // overflows: not recorded

  pthread_barrier_wait(&turn[0]);  // thread 1's turn, then thread 2's
  pthread_barrier_wait(&turn[2]);
  void* to_free[] = {a2, c, d, e, m, f, g, z, r2};
  for (size_t i = 0; i < sizeof to_free / sizeof to_free[0]; ++i) {
    Expect("free", 0, to_free[i], 0, 0, 0);
    free(to_free[i]);
  }
  Marker(kEndMarker);
  pthread_barrier_wait(&turn[3]);
  pthread_join(t1, NULL);
  pthread_join(t2, NULL);

  FILE* out = fopen(argv[1], "w");
  if (!out) return 1;
  for (int i = 0; i < n_expected; ++i) {
    const struct Expected* x = &expected[i];
    fprintf(out, "%s %d %lx %lx %zu %zu\n", x->op, x->thread, (unsigned long)x->id,
            (unsigned long)x->new_id, x->size, x->align);
  }
  fclose(out);

  if (argc > 2 && strcmp(argv[2], "fork") == 0) {
    pid_t child = fork();
    if (child == 0) {
      Marker(kChildSize);
      _exit(0);
    }
    waitpid(child, NULL, 0);
  }
  return 3;
}
