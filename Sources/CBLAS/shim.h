// OpenBLAS's CBLAS interface. Debian's libopenblas-dev installs cblas.h under the
// pkg-config include path of `openblas` (…/openblas-pthread/cblas.h).
#include <cblas.h>

// A software prefetch for the sparse kernels (Swift has no prefetch intrinsic): brings the cache line holding
// `p` towards L1 without blocking, ahead of the gather loads of SpMM. Inlined by the Clang importer.
static inline void swiftsparse_prefetch(const void *p) { __builtin_prefetch(p, 0, 3); }
// The same towards L2 (`prefetcht1` on x86): the SpMV row kernel's value and index streams, where that measured
// faster (see _spmvPrefetchesTowardsL2).
static inline void swiftsparse_prefetch_l2(const void *p) { __builtin_prefetch(p, 0, 2); }
// The same with intent to write (PREFETCHW where the target has it, otherwise a plain prefetch), for lines a
// kernel is about to read, modify and write back: the rows of Y in the scatter SpMM.
static inline void swiftsparse_prefetch_write(const void *p) { __builtin_prefetch(p, 1, 3); }

// Acquire loads, release stores and an acquire-release fetch-and-add, for the kernels' worker pool (portable,
// no OS-version availability; inlined by the Clang importer).
static inline long swiftsparse_load_acquire(const long *p) { return __atomic_load_n(p, __ATOMIC_ACQUIRE); }
static inline void swiftsparse_store_release(long *p, long v) { __atomic_store_n(p, v, __ATOMIC_RELEASE); }
static inline long swiftsparse_fetch_add_acq_rel(long *p, long v) { return __atomic_fetch_add(p, v, __ATOMIC_ACQ_REL); }
// A spin-wait hint (x86 PAUSE; a no-op elsewhere).
static inline void swiftsparse_pause(void) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
}
