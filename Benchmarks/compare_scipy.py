#!/usr/bin/env python3
"""Compare SwiftSparse's kernels with SciPy's on the same matrices, in the same run.

What it does, step by step:
  1. Generates two seeded matrices with numpy/scipy: a uniform one (n = 20000, 1% of positions stored) and a
     4x4-blocked one (dense 4x4 blocks on a uniform block pattern, also 1%).
  2. Writes them as MatrixMarket files to a temporary directory.
  3. Runs `swift run -c release sparse-bench --matrix FILE ... --format json --threads T` on those files.
  4. Reads the same files back with scipy.io.mmread (so both sides multiply exactly what the file holds) and
     times SciPy's CSR and BSR (4x4) SpMV (A @ x) and SpMM (A @ X, X with k columns, C order) on one thread,
     with the same warm-up / minimum-time / median policy as the bench.
  5. Prints, per matrix, format and operation, both medians and ours/SciPy as a speed ratio (> 1: ours faster).

SciPy's sparse products are single-threaded; the bench is run with --threads 1 to match (--threads N runs ours
on N threads, SciPy still on one), and BLAS threads are pinned to 1 for numpy. Without numpy or scipy the script says so and exits 0 without measuring.

Usage:
  python3 Benchmarks/compare_scipy.py                 # defaults: n = 20000, density 0.01, k = 32
  python3 Benchmarks/compare_scipy.py --size 8000 --rhs 8 --min-time 0.5
  python3 Benchmarks/compare_scipy.py --threads 2        # ours on 2 threads against SciPy's one
  python3 Benchmarks/compare_scipy.py --bench .build/release/sparse-bench   # skip `swift run`
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

try:
    import numpy as np
    import scipy
    import scipy.io
    import scipy.sparse as sp
except ImportError as error:  # pragma: no cover - depends on the machine
    print(f"compare_scipy: skipped, numpy/scipy not available ({error})")
    sys.exit(0)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def uniform_matrix(n, density, seed):
    """n x n, each position stored with probability `density` (like the bench's uniform pattern)."""
    rng = np.random.default_rng(seed)
    return sp.random(n, n, density=density, format="csr", random_state=rng,
                     data_rvs=lambda m: rng.uniform(-1, 1, m)).astype(np.float64)


def blocked_matrix(n, density, block, seed):
    """n x n made of dense block x block blocks, each present with probability `density`."""
    rng = np.random.default_rng(seed)
    nb = n // block
    pattern = sp.random(nb, nb, density=density, format="coo", random_state=rng)
    blocks = rng.uniform(-1, 1, (pattern.nnz, block, block))
    indptr = np.zeros(nb + 1, dtype=np.int64)
    order = np.lexsort((pattern.col, pattern.row))
    rows, cols = pattern.row[order], pattern.col[order]
    np.add.at(indptr, rows + 1, 1)
    indptr = np.cumsum(indptr)
    return sp.bsr_matrix((blocks, cols, indptr), shape=(n, n)).tocsr()


def time_policy(fn, min_time, min_reps, warmup):
    """Median, min and max seconds of `fn`, after `warmup` untimed calls."""
    for _ in range(warmup):
        fn()
    samples, total = [], 0.0
    while len(samples) < min_reps or total < min_time:
        t0 = time.perf_counter()
        fn()
        dt = time.perf_counter() - t0
        samples.append(dt)
        total += dt
    return statistics.median(samples), min(samples), max(samples)


def run_bench(files, args):
    common = ["--format", "json", "--threads", str(args.threads), "--formats", "csr,bsr", "--block-sizes", str(args.block),
              "--rhs", str(args.rhs), "--min-time", str(args.min_time), "--min-reps", str(args.min_reps),
              "--warmup", str(args.warmup), "--max-matrix-mib", str(args.max_matrix_mib)]
    for f in files:
        common += ["--matrix", f]
    if args.bench:
        command = [args.bench] + common
    else:
        command = ["swift", "run", "-c", "release", "sparse-bench"] + common
    print("running: " + " ".join(command), file=sys.stderr)
    done = subprocess.run(command, cwd=ROOT, stdout=subprocess.PIPE, text=True)
    if done.returncode != 0:
        sys.exit(f"compare_scipy: sparse-bench failed with status {done.returncode}")
    return json.loads(done.stdout)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=20000, help="rows and columns (default 20000)")
    parser.add_argument("--density", type=float, default=0.01, help="fraction of stored positions (default 0.01)")
    parser.add_argument("--block", type=int, default=4, help="block size of the blocked matrix and of BSR (default 4)")
    parser.add_argument("--rhs", type=int, default=32, help="right-hand sides k of SpMM (default 32)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--threads", type=int, default=1,
                        help="threads of our kernels (default 1, like SciPy; 2 compares our default on 2 cores)")
    parser.add_argument("--min-time", type=float, default=0.2, help="minimum timed seconds per kernel (default 0.2)")
    parser.add_argument("--min-reps", type=int, default=3)
    parser.add_argument("--warmup", type=int, default=1)
    parser.add_argument("--max-matrix-mib", type=int, default=1024,
                        help="passed to the bench so it skips the huge dense baseline (default 1024)")
    parser.add_argument("--bench", help="path of a built sparse-bench (default: swift run -c release)")
    parser.add_argument("--keep", help="write the .mtx files here instead of a temporary directory")
    args = parser.parse_args()

    print(f"numpy {np.__version__}, scipy {scipy.__version__}; SciPy on 1 thread (it has no threads), "
          f"sparse-bench on {args.threads}")
    directory = args.keep or tempfile.mkdtemp(prefix="compare_scipy-")
    os.makedirs(directory, exist_ok=True)
    matrices = {
        "uniform": uniform_matrix(args.size, args.density, args.seed),
        f"blocked{args.block}": blocked_matrix(args.size, args.density, args.block, args.seed + 1),
    }
    files = []
    for name, a in matrices.items():
        path = os.path.join(directory, name + ".mtx")
        print(f"writing {path}: {a.shape[0]}x{a.shape[1]}, {a.nnz} entries", file=sys.stderr)
        scipy.io.mmwrite(path, a)
        files.append(path)

    ours = run_bench(files, args)

    rng = np.random.default_rng(args.seed + 7)
    rows = []
    for name, path in zip(matrices, files):
        a = sp.csr_matrix(scipy.io.mmread(path))
        a.sum_duplicates()
        x = rng.uniform(-1, 1, a.shape[1])
        xm = np.ascontiguousarray(rng.uniform(-1, 1, (a.shape[1], args.rhs)))
        kernels = {"csr": a, "bsr": a.tobsr(blocksize=(args.block, args.block))}
        # The reference for the check: the entries summed one by one, independent of SciPy's products.
        c = a.tocoo()
        reference = np.bincount(c.row, weights=c.data * x[c.col], minlength=a.shape[0])
        for fmt, m in kernels.items():
            # Check SciPy once, as the bench checks its kernels.
            if not np.allclose(m @ x, reference):
                sys.exit(f"compare_scipy: SciPy {fmt} disagrees with the entry-by-entry product on {name}")
            for op, operand, k in (("spmv", x, 1), ("spmm", xm, args.rhs)):
                median, low, high = time_policy(lambda: m @ operand, args.min_time, args.min_reps, args.warmup)
                mine = [r for r in ours["records"]
                        if r["matrix"] == name and r["format"] == fmt and r["operation"] == op]
                flops = 2.0 * a.nnz * k
                if not mine:
                    rows.append((name, fmt, op, None, median, flops, "not measured by sparse-bench"))
                elif mine[0]["verified"] is not True:
                    rows.append((name, fmt, op, None, median, flops, mine[0]["note"] or "not verified"))
                else:
                    rows.append((name, fmt, op, mine[0]["median_s"], median, flops, ""))

    print()
    print(f"{'matrix':<10} {'format':<6} {'op':<5} {'ours GFLOP/s':>13} {'SciPy GFLOP/s':>14} {'ours/SciPy':>11}")
    for name, fmt, op, ours_s, scipy_s, flops, note in rows:
        if ours_s is None:
            print(f"{name:<10} {fmt:<6} {op:<5} {'-':>13} {flops / scipy_s / 1e9:>14.3f} {'-':>11}  {note}")
            continue
        print(f"{name:<10} {fmt:<6} {op:<5} {flops / ours_s / 1e9:>13.3f} {flops / scipy_s / 1e9:>14.3f} "
              f"{scipy_s / ours_s:>11.2f}")
    print("\nours/SciPy = SciPy median time / our median time: above 1, SwiftSparse is faster. "
          "GFLOP/s count 2 flops per stored entry (times k).")
    if not args.keep:
        for f in files:
            os.remove(f)
        os.rmdir(directory)


if __name__ == "__main__":
    main()
