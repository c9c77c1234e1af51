#!/usr/bin/env python3
"""Generates the 128-bit powers-of-five table (q = -342...308) used by the
Eisel-Lemire algorithm, and splices it into NumberParsing.swift between the
BEGIN/END GENERATED markers. Same construction as fast_float's script/table_generation.py:
for q >= 0 the top 128 bits of 5^q (truncated); for q < 0 the 128 most significant bits
of 1/5^-q, rounded up."""
import sys

def entries():
    out = []
    for q in range(-342, 0):
        power5 = 5 ** -q
        z = 0
        while (1 << z) < power5:
            z += 1
        if q >= -27:
            b = z + 127
            c = 2 ** b // power5 + 1
        else:
            b = 2 * z + 2 * 64
            c = 2 ** b // power5 + 1
            while c >= (1 << 128):
                c //= 2
        out.append((q, c))
    for q in range(0, 308 + 1):
        power5 = 5 ** q
        while power5 < (1 << 127):
            power5 *= 2
        while power5 >= (1 << 128):
            power5 //= 2
        out.append((q, power5))
    return out

def render():
    lines = []
    for q, c in entries():
        assert (1 << 127) <= c < (1 << 128)
        hi, lo = c >> 64, c & ((1 << 64) - 1)
        lines.append(f"        0x{hi:016x}, 0x{lo:016x}, // 5^{q}")
    return "\n".join(lines)

def main(path):
    src = open(path).read()
    begin = "        // BEGIN GENERATED TABLE (Scripts/gen_pow5.py)\n"
    end = "        // END GENERATED TABLE\n"
    i, j = src.index(begin), src.index(end)
    src = src[:i + len(begin)] + render() + "\n" + src[j:]
    open(path, "w").write(src)

if __name__ == "__main__":
    main(sys.argv[1])
