#!/usr/bin/env python3
"""Recomputes every win rate the README prints beside its W / T / L ("55.2% (50 / 364 / 6" or "50 / 364 / 6, 55.2%", ties counted half) and names
the ones that do not match to one decimal (an exact half may print either way).

    bench/evidence/check-readme-rates.py [README.md]      exit 1 when any differs"""
import re, sys
from fractions import Fraction

text = open(sys.argv[1] if len(sys.argv) > 1 else 'README.md', encoding='utf-8').read()
bad = checked = 0
# "55.2% (50 / 364 / 6" and, as the results view prints it, "50 / 364 / 6, 55.2%"
pattern = r'(\d+\.\d)%\*{0,2} \((\d+) / (\d+) / (\d+)|(\d+) / (\d+) / (\d+), (\d+\.\d)%'
for m in re.finditer(pattern, text):
    g = m.groups()
    printed, (w, t, l) = (Fraction(g[0]), map(int, g[1:4])) if g[0] else (Fraction(g[7]), map(int, g[4:7]))
    exact = 100 * (w + Fraction(t, 2)) / (w + t + l)          # the rate in percent, exactly
    checked += 1
    if abs(exact - printed) > Fraction(1, 20):                 # farther than half a unit of the last digit
        bad += 1
        print(f'line {text[:m.start()].count(chr(10)) + 1}: {m.group(0)} is {float(exact):.3f}%')
print(f'{checked} rates checked, {bad} differ')
sys.exit(1 if bad else 0)
