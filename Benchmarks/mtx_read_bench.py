#!/usr/bin/env python3
"""MatrixMarket read throughput: SwiftSparse against scipy.io.mmread, on the same file in the same run.

    python3 Benchmarks/mtx_read_bench.py [--file PATH] [--entries 2900000] [--repetitions 7] [--json]

Generates (seeded) a coordinate real general file of ~95 MB with 2.9 M entries in SciPy's own formatting
(written by scipy.io.mmwrite when SciPy is present: shortest round-trip decimals) unless FILE exists, builds
`sparse-bench` in release mode, and runs, alternating so that drift on a shared machine hits both alike:
`sparse-bench read FILE --threads 1` and `--threads 2`, and scipy.io.mmread with fast_matrix_market's
parallelism set to 1 and 2. Prints MB/s (median of the repetitions) and the ratios Swift / SciPy.
Where SciPy is missing it says so and reports the Swift figures alone.
"""
import argparse, json, os, random, subprocess, sys, time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def generate(path, entries, seed=20240611):
    """A seeded coordinate real general file: n = 100,000, values uniform in [0, 1), sorted by row (about
    33 bytes per entry line, as in the 95 MB / 2.9 M-entry file of the issue)."""
    n = 100_000
    try:
        import numpy as np, scipy.io, scipy.sparse as sp
    except ImportError:
        np = None
    tmp = path + '.tmp'
    if np is not None:
        rng = np.random.default_rng(seed)
        rows = rng.integers(0, n, entries)
        cols = rng.integers(0, n, entries)
        order = np.lexsort((cols, rows))
        A = sp.coo_matrix((rng.random(entries)[order], (rows[order], cols[order])), shape=(n, n))
        scipy.io.mmwrite(tmp, A)   # mmwrite appends .mtx when missing
        os.replace(tmp if os.path.exists(tmp) else tmp + '.mtx', path)
        return
    rng = random.Random(seed)
    triples = sorted((rng.randrange(n), rng.randrange(n), rng.random()) for _ in range(entries))
    with open(tmp, 'w') as f:
        f.write('%%MatrixMarket matrix coordinate real general\n%\n')
        f.write(f'{n} {n} {entries}\n')
        for i, j, v in triples:
            f.write(f'{i + 1} {j + 1} {v!r}\n')
    os.replace(tmp, path)


def swift_read(exe, path, threads, repetitions):
    out = subprocess.run([exe, 'read', path, '--threads', str(threads), '--repetitions', str(repetitions),
                          '--format', 'json'], check=True, capture_output=True, text=True).stdout
    result = json.loads(out)
    return result['median_MBps'], int(result['value_checksum'])


def scipy_checksum(path):
    """The checksum sparse-bench prints, over SciPy's values in file order (COO keeps it)."""
    import numpy as np, scipy.io
    A = scipy.io.mmread(path)
    bits = np.ascontiguousarray(A.tocoo().data, dtype=np.float64).view(np.uint64)
    weights = 2 * np.arange(bits.size, dtype=np.uint64) + np.uint64(1)
    with np.errstate(over='ignore'):
        return int(np.sum(bits * weights, dtype=np.uint64))


def scipy_read(path, threads, repetitions):
    import scipy.io
    import scipy.io._fast_matrix_market as fmm
    fmm.PARALLELISM = threads
    megabytes = os.path.getsize(path) / 1e6
    scipy.io.mmread(path)   # warm-up
    times = []
    for _ in range(repetitions):
        t = time.perf_counter(); scipy.io.mmread(path); times.append(time.perf_counter() - t)
    times.sort()
    return megabytes / times[len(times) // 2]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--file', default=os.path.join(ROOT, '.build', 'bench-data', 'read_2.9M.mtx'))
    ap.add_argument('--entries', type=int, default=2_900_000)
    ap.add_argument('--repetitions', type=int, default=7)
    ap.add_argument('--rounds', type=int, default=2, help='alternating rounds of every reader')
    ap.add_argument('--json', action='store_true')
    a = ap.parse_args()

    if not os.path.exists(a.file):
        os.makedirs(os.path.dirname(a.file), exist_ok=True)
        print(f'# generating {a.file} ({a.entries} entries, seeded)', file=sys.stderr)
        generate(a.file, a.entries)
    megabytes = os.path.getsize(a.file) / 1e6

    subprocess.run(['swift', 'build', '-c', 'release', '--product', 'sparse-bench'], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL)
    bindir = subprocess.run(['swift', 'build', '-c', 'release', '--show-bin-path'], cwd=ROOT, check=True,
                            capture_output=True, text=True).stdout.strip()
    exe = os.path.join(bindir, 'sparse-bench')

    try:
        import scipy.io  # noqa: F401
        have_scipy = True
    except ImportError:
        have_scipy = False
        print('# SciPy is not installed: reporting the Swift figures alone (pip install scipy)', file=sys.stderr)

    results = {}
    checksums = set()
    for _ in range(a.rounds):
        for threads in (1, 2):
            mbps, checksum = swift_read(exe, a.file, threads, a.repetitions)
            checksums.add(checksum)
            results.setdefault(('swift', threads), []).append(mbps)
            if have_scipy:
                results.setdefault(('scipy', threads), []).append(scipy_read(a.file, threads, a.repetitions))
    best = {k: max(v) for k, v in results.items()}   # best round of medians: the least disturbed
    identical = None
    if have_scipy:
        identical = checksums == {scipy_checksum(a.file)}

    rows = []
    for threads in (1, 2):
        swift = best[('swift', threads)]
        scipy_mbps = best.get(('scipy', threads))
        rows.append({'threads': threads, 'swift_MBps': swift, 'scipy_MBps': scipy_mbps,
                     'ratio': swift / scipy_mbps if scipy_mbps else None})
    if a.json:
        print(json.dumps({'file': a.file, 'file_MB': megabytes, 'rows': rows, 'values_identical_to_scipy': identical,
                          'swift2_over_scipy1': rows[1]['swift_MBps'] / rows[0]['scipy_MBps'] if have_scipy else None}))
        return
    print(f'# {a.file}: {megabytes:.1f} MB; median MB/s of {a.repetitions} reads, best of {a.rounds} alternating rounds')
    print(f"{'threads':>7} {'SwiftSparse':>12} {'scipy.mmread':>13} {'ratio':>7}")
    for r in rows:
        scipy_text = f"{r['scipy_MBps']:13.0f}" if r['scipy_MBps'] else f"{'n/a':>13}"
        ratio_text = f"{r['ratio']:7.2f}" if r['ratio'] else f"{'n/a':>7}"
        print(f"{r['threads']:>7} {r['swift_MBps']:12.0f} {scipy_text} {ratio_text}")
    if have_scipy:
        print(f"# 2-thread SwiftSparse / 1-thread SciPy: {rows[1]['swift_MBps'] / rows[0]['scipy_MBps']:.2f}")
        print(f"# values bit-identical to SciPy's: {'yes' if identical else 'NO'}")


if __name__ == '__main__':
    main()
