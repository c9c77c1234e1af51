// OpenBLAS's CBLAS interface. Debian's libopenblas-dev installs cblas.h under the
// pkg-config include path of `openblas` (…/openblas-pthread/cblas.h).
#include <cblas.h>

// A software prefetch for the sparse kernels (Swift has no prefetch intrinsic): brings the cache line holding
// `p` towards L1 without blocking, ahead of the gather loads of SpMM. Inlined by the Clang importer.
static inline void swiftsparse_prefetch(const void *p) { __builtin_prefetch(p, 0, 3); }

// A relaxed atomic fetch-and-add on a shared counter, for the kernels' dynamic scheduling of parts across
// threads (portable, no OS-version availability). Inlined by the Clang importer.
static inline long swiftsparse_fetch_add(long *counter, long value) {
    return __atomic_fetch_add(counter, value, __ATOMIC_RELAXED);
}
