#!/usr/bin/env python3
"""Pillow's side of `WebLab.Bench -- resize`: RGB bytes H x W x 3 resized to RH x RW as transformers' Qwen2-VL image
processor resizes (PIL.Image.resize with BICUBIC, no reducing gap).  resize-vs-pil.py IN H W RH RW OUT"""
import sys

import numpy as np
from PIL import Image

src, h, w, rh, rw, out = sys.argv[1], *map(int, sys.argv[2:6]), sys.argv[6]
rgb = np.frombuffer(open(src, "rb").read(), dtype=np.uint8).reshape(h, w, 3)
resized = Image.fromarray(rgb, "RGB").resize((rw, rh), resample=Image.BICUBIC, reducing_gap=None)
open(out, "wb").write(np.asarray(resized, dtype=np.uint8).tobytes())
