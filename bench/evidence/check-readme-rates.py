#!/usr/bin/env python3
"""Recomputes every win rate the README prints beside its W / T / L ("55.2% (50 / 364 / 6", ties counted half) and names
the ones that do not match to one decimal (an exact half may print either way).

    bench/evidence/check-readme-rates.py [README.md]      exit 1 when any differs"""
import re, sys
from fractions import Fraction

text = open(sys.argv[1] if len(sys.argv) > 1 else 'README.md', encoding='utf-8').read()
bad = checked = 0
for m in re.finditer(r'(\d+\.\d)%\*{0,2} \((\d+) / (\d+) / (\d+)', text):
    printed = Fraction(m.group(1))
    w, t, l = map(int, m.groups()[1:])
    exact = 100 * (w + Fraction(t, 2)) / (w + t + l)          # the rate in percent, exactly
    checked += 1
    if abs(exact - printed) > Fraction(1, 20):                 # farther than half a unit of the last digit
        bad += 1
        print(f'line {text[:m.start()].count(chr(10)) + 1}: {m.group(0)} is {float(exact):.3f}%')
print(f'{checked} rates checked, {bad} differ')
sys.exit(1 if bad else 0)
