#!/usr/bin/env python3
"""An independent reference for the lab's Hugging Face model families, in NumPy (float64), written from transformers'
modeling code (LlamaForCausalLM, Qwen2ForCausalLM, Qwen2_5_VLForConditionalGeneration and Qwen2VLImageProcessor), not
from the lab's C#. The parity tests run it on tiny random folders and compare the processor's pixels, the image
embeddings, the position ids and the logits.

  hf_reference.py --model DIR --ids 1,2,3 [--image RAW --height H --width W] --out FILE.json

RAW: the image's RGB bytes, H x W x 3. When smart_resize changes its size it is resized as the reference processor
does, with PIL's bicubic. Needs python3 and numpy (Debian: python3-numpy), and for a resize PIL (python3-pil).
"""
import argparse
import json
import math
import os
import struct

import numpy as np


# --- safetensors ------------------------------------------------------------------------------------------------------

def read_safetensors(path):
    with open(path, "rb") as f:
        (n,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(n))
        data = f.read()
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        a, b = info["data_offsets"]
        raw = data[a:b]
        shape = info["shape"]
        if info["dtype"] == "F32":
            t = np.frombuffer(raw, dtype="<f4")
        elif info["dtype"] == "F16":
            t = np.frombuffer(raw, dtype="<f2")
        elif info["dtype"] == "BF16":
            t = (np.frombuffer(raw, dtype="<u2").astype(np.uint32) << 16).view(np.float32)
        else:
            raise ValueError(f"{name}: dtype {info['dtype']}")
        out[name] = t.astype(np.float64).reshape(shape)
    return out


def load_weights(folder):
    single = os.path.join(folder, "model.safetensors")
    if os.path.exists(single):
        return read_safetensors(single)
    with open(os.path.join(folder, "model.safetensors.index.json")) as f:
        files = sorted(set(json.load(f)["weight_map"].values()))
    weights = {}
    for file in files:
        weights.update(read_safetensors(os.path.join(folder, file)))
    return weights


# --- shared pieces ----------------------------------------------------------------------------------------------------

def rms_norm(x, w, eps):
    return w * (x / np.sqrt((x * x).mean(-1, keepdims=True) + eps))


def silu(x):
    return x / (1.0 + np.exp(-x))


_erf = np.vectorize(math.erf)


def gelu(x):  # nn.GELU(): the exact, erf form
    return 0.5 * x * (1.0 + _erf(x / math.sqrt(2.0)))


def rotate_half(x):
    h = x.shape[-1] // 2
    return np.concatenate([-x[..., h:], x[..., :h]], axis=-1)


def softmax(x):
    x = x - x.max(-1, keepdims=True)
    e = np.exp(x)
    return e / e.sum(-1, keepdims=True)


def linear(x, w, b=None):
    y = x @ w.T
    return y if b is None else y + b


# --- the text decoder (Llama / Qwen2 / Qwen2.5-VL's) ------------------------------------------------------------------

def inverse_frequencies(head_dim, theta, scaling):
    inv = 1.0 / theta ** (np.arange(0, head_dim, 2, dtype=np.float64) / head_dim)
    if scaling and (scaling.get("rope_type") or scaling.get("type")) == "llama3":
        factor, low, high = scaling["factor"], scaling["low_freq_factor"], scaling["high_freq_factor"]
        old = scaling["original_max_position_embeddings"]
        wavelen = 2 * math.pi / inv
        scaled = np.where(wavelen > old / low, inv / factor, inv)
        smooth = (old / wavelen - low) / (high - low)
        mid = (1 - smooth) * scaled / factor + smooth * scaled
        medium = ~(wavelen < old / high) & ~(wavelen > old / low)
        inv = np.where(medium, mid, scaled)
    return inv


def decoder_logits(cfg, W, prefix, head_key, embeds, pos3, mrope_section):
    """embeds [T, d]; pos3 [3, T] (three equal rows for one axis). Returns logits [T, V]."""
    d, nh, nkv = cfg["hidden_size"], cfg["num_attention_heads"], cfg["num_key_value_heads"]
    hd = d // nh
    eps = cfg.get("rms_norm_eps", 1e-6)
    inv = inverse_frequencies(hd, cfg.get("rope_theta", 10000.0), cfg.get("rope_scaling") if not mrope_section else None)
    freqs = pos3[:, :, None].astype(np.float64) * inv[None, None, :]          # [3, T, hd/2]
    emb = np.concatenate([freqs, freqs], -1)                                   # [3, T, hd]
    cos3, sin3 = np.cos(emb), np.sin(emb)
    if mrope_section:
        sec = list(mrope_section) * 2
        bounds = np.cumsum([0] + sec)
        cos = np.concatenate([cos3[i % 3, :, bounds[i]:bounds[i + 1]] for i in range(len(sec))], -1)
        sin = np.concatenate([sin3[i % 3, :, bounds[i]:bounds[i + 1]] for i in range(len(sec))], -1)
    else:
        cos, sin = cos3[0], sin3[0]
    T = embeds.shape[0]
    causal = np.triu(np.full((T, T), -np.inf), 1)
    x = embeds
    bias = cfg.get("model_type") in ("qwen2", "qwen2_5_vl") or cfg.get("attention_bias", False)
    for i in range(cfg["num_hidden_layers"]):
        p = f"{prefix}layers.{i}."
        h = rms_norm(x, W[p + "input_layernorm.weight"], eps)
        q = linear(h, W[p + "self_attn.q_proj.weight"], W.get(p + "self_attn.q_proj.bias") if bias else None).reshape(T, nh, hd).transpose(1, 0, 2)
        k = linear(h, W[p + "self_attn.k_proj.weight"], W.get(p + "self_attn.k_proj.bias") if bias else None).reshape(T, nkv, hd).transpose(1, 0, 2)
        v = linear(h, W[p + "self_attn.v_proj.weight"], W.get(p + "self_attn.v_proj.bias") if bias else None).reshape(T, nkv, hd).transpose(1, 0, 2)
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
        k = np.repeat(k, nh // nkv, axis=0)
        v = np.repeat(v, nh // nkv, axis=0)
        att = softmax(q @ k.transpose(0, 2, 1) / math.sqrt(hd) + causal)
        y = (att @ v).transpose(1, 0, 2).reshape(T, nh * hd)
        x = x + linear(y, W[p + "self_attn.o_proj.weight"])
        h = rms_norm(x, W[p + "post_attention_layernorm.weight"], eps)
        m = linear(silu(linear(h, W[p + "mlp.gate_proj.weight"])) * linear(h, W[p + "mlp.up_proj.weight"]), W[p + "mlp.down_proj.weight"])
        x = x + m
    x = rms_norm(x, W[prefix + "norm.weight"], eps)
    head = W[head_key] if head_key in W else W[prefix + "embed_tokens.weight"]
    return x @ head.T


# --- Qwen2.5-VL: processor, vision tower, rope index ------------------------------------------------------------------

def smart_resize(h, w, factor, min_pixels, max_pixels):
    h_bar = round(h / factor) * factor
    w_bar = round(w / factor) * factor
    if h_bar * w_bar > max_pixels:
        beta = math.sqrt(h * w / max_pixels)
        h_bar = math.floor(h / beta / factor) * factor
        w_bar = math.floor(w / beta / factor) * factor
    elif h_bar * w_bar < min_pixels:
        beta = math.sqrt(min_pixels / (h * w))
        h_bar = math.ceil(h * beta / factor) * factor
        w_bar = math.ceil(w * beta / factor) * factor
    return h_bar, w_bar


def process_image(rgb, pp):
    """rgb [H, W, 3] uint8 → (patches [T*gh*gw, C*tp*p*p], (1, gh, gw)), as Qwen2VLImageProcessor._preprocess."""
    p, tp, m = pp.get("patch_size", 14), pp.get("temporal_patch_size", 2), pp.get("merge_size", 2)
    size = pp.get("size") or {}
    min_px = pp.get("min_pixels") or size.get("shortest_edge", 56 * 56)
    max_px = pp.get("max_pixels") or size.get("longest_edge", 28 * 28 * 1280)
    H, W = rgb.shape[:2]
    rh, rw = smart_resize(H, W, p * m, min_px, max_px)
    if (rh, rw) != (H, W):
        from PIL import Image  # transformers' resize: a PIL image resized with BICUBIC, no reducing gap
        rgb = np.array(Image.fromarray(rgb, "RGB").resize((rw, rh), resample=Image.BICUBIC, reducing_gap=None))
    img = rgb.astype(np.float64) * pp.get("rescale_factor", 1 / 255)
    img = (img - np.array(pp.get("image_mean", [0.48145466, 0.4578275, 0.40821073]))) / np.array(pp.get("image_std", [0.26862954, 0.26130258, 0.27577711]))
    img = img.transpose(2, 0, 1)                                               # [C, rh, rw]
    frames = np.repeat(img[None], tp, axis=0)                                  # [tp, C, H, W]: one image, repeated
    gt, gh, gw = 1, rh // p, rw // p
    x = frames.reshape(gt, tp, 3, gh // m, m, p, gw // m, m, p).transpose(0, 3, 6, 4, 7, 2, 1, 5, 8)
    return x.reshape(gt * gh * gw, 3 * tp * p * p), (gt, gh, gw)


def vision_forward(vc, W, prefix, patches, grid):
    D, heads, m = vc["hidden_size"], vc["num_heads"], vc["spatial_merge_size"]
    hd = D // heads
    p, tp = vc["patch_size"], vc["temporal_patch_size"]
    C = vc.get("in_channels", vc.get("in_chans", 3))
    conv = W[prefix + "patch_embed.proj.weight"]                                # [D, C, tp, p, p]
    x = patches.reshape(-1, C, tp, p, p).reshape(patches.shape[0], -1) @ conv.reshape(D, -1).T
    t, h, w = grid
    # rot_pos_emb
    hpos = np.arange(h)[:, None].repeat(w, 1).reshape(h // m, m, w // m, m).transpose(0, 2, 1, 3).flatten()
    wpos = np.arange(w)[None, :].repeat(h, 0).reshape(h // m, m, w // m, m).transpose(0, 2, 1, 3).flatten()
    pos = np.tile(np.stack([hpos, wpos], -1), (t, 1))
    dim = hd // 2
    inv = 1.0 / 10000.0 ** (np.arange(0, dim, 2, dtype=np.float64) / dim)
    table = np.outer(np.arange(max(h, w)), inv)
    rot = table[pos].reshape(pos.shape[0], -1)                                 # [N, hd/2]
    # get_window_index
    ws = vc["window_size"] // m // p
    lh, lw = h // m, w // m
    index = np.arange(t * lh * lw).reshape(t, lh, lw)
    pad_h, pad_w = ws - lh % ws, ws - lw % ws
    nh, nw = (lh + pad_h) // ws, (lw + pad_w) // ws
    padded = np.full((t, lh + pad_h, lw + pad_w), -100)
    padded[:, :lh, :lw] = index
    padded = padded.reshape(t, nh, ws, nw, ws).transpose(0, 1, 3, 2, 4).reshape(t, nh * nw, ws, ws)
    seqlens = (padded != -100).sum((2, 3)).reshape(-1)
    flat = padded.reshape(-1)
    window_index = flat[flat != -100]
    unit = m * m
    cu_window = np.unique(np.concatenate([[0], np.cumsum(seqlens) * unit]))
    cu_full = np.array([0] + [h * w * (i + 1) for i in range(t)])
    N = x.shape[0]
    x = x.reshape(N // unit, unit, -1)[window_index].reshape(N, -1)
    rot = rot.reshape(N // unit, unit, -1)[window_index].reshape(N, -1)
    emb = np.concatenate([rot, rot], -1)
    cos, sin = np.cos(emb)[:, None, :], np.sin(emb)[:, None, :]               # [N, 1, hd]
    for i in range(vc["depth"]):
        b = f"{prefix}blocks.{i}."
        cu = cu_full if i in vc["fullatt_block_indexes"] else cu_window
        hnorm = rms_norm(x, W[b + "norm1.weight"], 1e-6)
        qkv = linear(hnorm, W[b + "attn.qkv.weight"], W[b + "attn.qkv.bias"]).reshape(N, 3, heads, hd).transpose(1, 0, 2, 3)
        q, k, v = qkv[0], qkv[1], qkv[2]
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
        out = np.zeros((N, heads, hd))
        for a, e in zip(cu[:-1], cu[1:]):
            qs, ks, vs = q[a:e].transpose(1, 0, 2), k[a:e].transpose(1, 0, 2), v[a:e].transpose(1, 0, 2)
            att = softmax(qs @ ks.transpose(0, 2, 1) / math.sqrt(hd))
            out[a:e] = (att @ vs).transpose(1, 0, 2)
        x = x + linear(out.reshape(N, D), W[b + "attn.proj.weight"], W[b + "attn.proj.bias"])
        hnorm = rms_norm(x, W[b + "norm2.weight"], 1e-6)
        g = linear(hnorm, W[b + "mlp.gate_proj.weight"], W[b + "mlp.gate_proj.bias"])
        u = linear(hnorm, W[b + "mlp.up_proj.weight"], W[b + "mlp.up_proj.bias"])
        x = x + linear(silu(g) * u, W[b + "mlp.down_proj.weight"], W[b + "mlp.down_proj.bias"])
    y = rms_norm(x, W[prefix + "merger.ln_q.weight"], 1e-6).reshape(-1, D * unit)
    y = linear(gelu(linear(y, W[prefix + "merger.mlp.0.weight"], W[prefix + "merger.mlp.0.bias"])), W[prefix + "merger.mlp.2.weight"], W[prefix + "merger.mlp.2.bias"])
    return y[np.argsort(window_index)]


def rope_index(ids, cfg, grids, merge):
    """get_rope_index for images, one unpadded row: [3, T]."""
    image_id, start_id = cfg["image_token_id"], cfg["vision_start_token_id"]
    ids = list(ids)
    starts = [i for i, t in enumerate(ids) if t == start_id and i + 1 < len(ids) and ids[i + 1] == image_id]
    parts, st, gi = [], 0, 0
    for _ in starts:
        ed = ids.index(image_id, st)
        t, h, w = grids[gi]
        gi += 1
        lt, lh, lw = t, h // merge, w // merge
        text_len = ed - st
        st_idx = parts[-1].max() + 1 if parts else 0
        parts.append(np.arange(text_len)[None, :].repeat(3, 0) + st_idx)
        t_index = np.zeros((lt, lh * lw), dtype=np.int64).flatten()           # images: the temporal index is 0
        h_index = np.arange(lh)[None, :, None].repeat(lt, 0).repeat(lw, 2).flatten()
        w_index = np.arange(lw)[None, None, :].repeat(lt, 0).repeat(lh, 1).flatten()
        parts.append(np.stack([t_index, h_index, w_index]) + text_len + st_idx)
        st = ed + lt * lh * lw
    if st < len(ids):
        st_idx = parts[-1].max() + 1 if parts else 0
        parts.append(np.arange(len(ids) - st)[None, :].repeat(3, 0) + st_idx)
    return np.concatenate(parts, 1)


# --- main -------------------------------------------------------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", required=True)
    ap.add_argument("--ids", required=True)
    ap.add_argument("--image")
    ap.add_argument("--height", type=int)
    ap.add_argument("--width", type=int)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    with open(os.path.join(a.model, "config.json")) as f:
        cfg = json.load(f)
    W = load_weights(a.model)
    ids = np.array([int(s) for s in a.ids.split(",")])
    result = {}
    kind = cfg["model_type"]
    if kind in ("llama", "qwen2"):
        T = len(ids)
        pos = np.arange(T)[None, :].repeat(3, 0)
        logits = decoder_logits(cfg, W, "model.", "lm_head.weight", W["model.embed_tokens.weight"][ids], pos, None)
    elif kind == "qwen2_5_vl":
        nested = any(k.startswith("model.language_model.") for k in W)
        text_prefix, vis_prefix = ("model.language_model.", "model.visual.") if nested else ("model.", "visual.")
        text = dict(cfg)
        text.update(cfg.get("text_config") or {})
        text["model_type"] = "qwen2_5_vl"
        section = text["rope_scaling"]["mrope_section"]
        embeds = W[text_prefix + "embed_tokens.weight"][ids].copy()
        grids = []
        if a.image:
            with open(os.path.join(a.model, "preprocessor_config.json")) as f:
                pp = json.load(f)
            rgb = np.frombuffer(open(a.image, "rb").read(), dtype=np.uint8).reshape(a.height, a.width, 3)
            patches, grid = process_image(rgb, pp)
            grids.append(grid)
            feats = vision_forward(cfg["vision_config"], W, vis_prefix, patches, grid)
            where = np.nonzero(ids == cfg["image_token_id"])[0]
            if len(where) != feats.shape[0]:
                raise SystemExit(f"{len(where)} image tokens for {feats.shape[0]} image features")
            embeds[where] = feats
            result["pixels"] = patches.flatten().tolist()
            result["pixel_shape"] = list(patches.shape)
            result["grid_thw"] = list(grid)
            result["image_embeds"] = feats.flatten().tolist()
        pos = rope_index(ids, cfg, grids, cfg["vision_config"]["spatial_merge_size"])
        result["position_ids"] = pos.tolist()
        logits = decoder_logits(text, W, text_prefix, "lm_head.weight", embeds, pos, section)
    else:
        raise SystemExit(f"model_type {kind}")
    result["logits"] = logits.tolist()
    result["argmax"] = logits.argmax(-1).tolist()
    with open(a.out, "w") as f:
        json.dump(result, f)


if __name__ == "__main__":
    main()
