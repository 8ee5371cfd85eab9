"""safetensors read and write by hand (struct + json + torch), the format of our checkpoints
(src/core/checkpoint/safetensors.ts): 8-byte little-endian header length, a JSON header of
{name: {dtype, shape, data_offsets}} plus "__metadata__" (string values), then the tensor bytes.

Untrusted input: only regular files are opened; the header length is checked against the file
size and a 16 MiB limit (as src/core/checkpoint/safetensorsHeader.ts) before it is read, at most
10,000 tensor entries are accepted, every entry's dtype, shape and offsets are checked (inside the
data, size = numel × element size) before any tensor is built, and the file is read once.
`crcs` (a dict) receives the CRC-32 (zlib.crc32) of every tensor's stored bytes, for the
checkpoint's per-tensor checksums (checkpoint.py).
Writing is atomic: a temporary file in the same folder, flushed and fsynced, then os.replace, so a
crash mid-save leaves the previous file intact.

API
  read_safetensors(path, crcs=None) -> (dict name → tensor, dict metadata str → str)
  write_safetensors(path, tensors: dict name → tensor, metadata: dict str → str)
  tensor_bytes(t) -> bytes    a tensor's bytes as written (little-endian, row-major)
  SafetensorsError    the message names the file and what is wrong
"""
import json
import os
import struct
import zlib

import torch

MAX_HEADER_BYTES = 16 * 1024 * 1024
MAX_TENSORS = 10_000
DTYPES = {"F32": torch.float32, "F16": torch.float16, "BF16": torch.bfloat16, "F64": torch.float64,
          "I64": torch.int64, "I32": torch.int32, "U8": torch.uint8, "BOOL": torch.bool}
NAMES = {v: k for k, v in DTYPES.items()}


class SafetensorsError(Exception):
    """A file that is not a readable safetensors file; the message says why and what to do."""


def tensor_bytes(t):
    """The bytes `write_safetensors` stores for tensor `t` (what the per-tensor CRC-32 covers)."""
    t = t.detach().contiguous().cpu()
    return t.numpy().tobytes() if t.numel() else b""


def read_safetensors(path, crcs=None):
    def fail(why):
        raise SafetensorsError(f"{path}: {why}. Choose a .safetensors checkpoint exported by HVP Playground, its CLI or hvp_torch.")

    if not os.path.isfile(path):
        if os.path.exists(path):
            fail("is not a regular file")
        raise FileNotFoundError(path)
    with open(path, "rb") as f:
        size = os.fstat(f.fileno()).st_size
        head = f.read(8)
        if len(head) < 8:
            fail(f"is {size} bytes, too short for a safetensors header")
        (header_len,) = struct.unpack("<Q", head)
        if header_len > MAX_HEADER_BYTES or 8 + header_len > size:
            fail(f"header length field says {header_len} bytes but the file has {size - 8} after it (limit {MAX_HEADER_BYTES})")
        try:
            header = json.loads(f.read(header_len).decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as e:
            fail(f"the header is not valid JSON ({e})")
        if not isinstance(header, dict):
            fail("the header is not a JSON object")
        if len(header) > MAX_TENSORS + 1:
            fail(f"the header lists {len(header)} entries (limit {MAX_TENSORS} tensors)")
        metadata = header.pop("__metadata__", {}) or {}
        if not isinstance(metadata, dict) or not all(isinstance(v, str) for v in metadata.values()):
            fail("the metadata is not a map of strings")
        data_len = size - 8 - header_len
        plan = []
        for name, e in header.items():
            if not isinstance(e, dict) or e.get("dtype") not in DTYPES or not isinstance(e.get("shape"), list) or not isinstance(e.get("data_offsets"), list):
                fail(f"tensor \"{name}\" has no valid dtype, shape and data_offsets")
            shape, (begin, end) = e["shape"], e["data_offsets"]
            if not all(isinstance(d, int) and d >= 0 for d in shape) or not (isinstance(begin, int) and isinstance(end, int) and 0 <= begin <= end <= data_len):
                fail(f"tensor \"{name}\" has a bad shape or data offsets outside the file")
            dtype = DTYPES[e["dtype"]]
            numel = 1
            for d in shape:
                numel *= d
            if numel * torch.empty(0, dtype=dtype).element_size() != end - begin:
                fail(f"tensor \"{name}\" declares shape {shape} of {e['dtype']} but {end - begin} bytes")
            plan.append((name, dtype, shape, begin, numel))
        data = bytearray(f.read())
    tensors = {}
    for name, dtype, shape, begin, numel in plan:
        if crcs is not None:
            crcs[name] = zlib.crc32(memoryview(data)[begin:begin + numel * torch.empty(0, dtype=dtype).element_size()])
        flat = torch.frombuffer(data, dtype=dtype, offset=begin, count=numel) if numel else torch.empty(0, dtype=dtype)
        tensors[name] = flat.reshape(shape).clone()
    return tensors, dict(metadata)


def write_safetensors(path, tensors, metadata):
    header = {"__metadata__": dict(metadata)} if metadata else {}
    blobs, offset = [], 0
    for name, t in tensors.items():
        if t.dtype not in NAMES:
            raise ValueError(f"tensor {name}: dtype {t.dtype} has no safetensors name")
        raw = tensor_bytes(t)
        header[name] = {"dtype": NAMES[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    head = json.dumps(header, separators=(",", ":")).encode("utf-8")
    head += b" " * (-len(head) % 8)  # tensor data 8-byte aligned, as our writer
    tmp = f"{path}.{os.getpid()}.tmp"
    try:
        with open(tmp, "wb") as f:
            f.write(struct.pack("<Q", len(head)))
            f.write(head)
            for b in blobs:
                f.write(b)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)
