// Heap calls racing on four threads, for tests/record_test.cc: blocks pass between threads
// through a shared pool, so addresses freed on one thread are reused by allocations and
// reallocs on others while reallocs run concurrently - the cases the recorder's ordering
// protocol must get right (src/record/ordering.h). Fixed seeds; argv[1] = rounds a thread.
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>

enum { kThreads = 4, kPool = 64 };

static void* pool[kPool];
static pthread_mutex_t pool_lock = PTHREAD_MUTEX_INITIALIZER;
static long rounds;

static uint64_t Next(uint64_t* state) {
  *state = *state * 6364136223846793005u + 1442695040888963407u;
  return *state >> 33;
}

// Swaps `p` into pool slot `slot`; returns what was there.
static void* Swap(unsigned slot, void* p) {
  pthread_mutex_lock(&pool_lock);
  void* old = pool[slot];
  pool[slot] = p;
  pthread_mutex_unlock(&pool_lock);
  return old;
}

static void* Worker(void* arg) {
  uint64_t rng = 1000 + (uintptr_t)arg;
  for (long i = 0; i < rounds; ++i) {
    unsigned slot = Next(&rng) % kPool;
    size_t size = 1 + Next(&rng) % 512;
    void* mine = Swap(slot, NULL);  // take a block, possibly another thread's
    switch (Next(&rng) % 3) {
      case 0:
        free(mine);
        mine = malloc(size);
        break;
      case 1:
        mine = realloc(mine, size);
        break;
      default:
        free(mine);
        mine = Next(&rng) % 2 ? calloc(1, size) : aligned_alloc(64, size);
        break;
    }
    free(Swap(slot, mine));
  }
  return NULL;
}

int main(int argc, char** argv) {
  rounds = argc > 1 ? atol(argv[1]) : 20000;
  pthread_t threads[kThreads];
  for (uintptr_t t = 0; t < kThreads; ++t) pthread_create(&threads[t], NULL, Worker, (void*)t);
  for (int t = 0; t < kThreads; ++t) pthread_join(threads[t], NULL);
  for (int s = 0; s < kPool; ++s) free(pool[s]);
  return 0;
}
