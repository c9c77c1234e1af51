// OpenBLAS's CBLAS interface. Debian's libopenblas-dev installs cblas.h under the
// pkg-config include path of `openblas` (…/openblas-pthread/cblas.h).
#include <cblas.h>
