"""Writes the small reader fixtures in this folder with real torch and safetensors (run: python make_fixtures.py).

Made with torch 2.13.0+cpu, safetensors 0.8.0, numpy 2.4.6. The tests only read the outputs; Python is not needed
to run them.
"""
import collections
import zipfile

import numpy as np
import torch
from safetensors.torch import save_file

torch.manual_seed(0)
base = torch.arange(24, dtype=torch.float32).reshape(4, 6)
model = collections.OrderedDict()
model["linear.weight"] = torch.nn.Parameter(torch.randn(3, 2))  # saved through _rebuild_parameter
model["base"] = base
model["base_t"] = base.t()  # same storage, strides (1, 6)
model["rows_1_3"] = base[1:3]  # same storage, offset 6
model["every_other"] = base.view(-1)[::2]  # same storage, stride 2
model["half"] = torch.linspace(-1, 1, 5).half()
model["bf16"] = torch.linspace(-1, 1, 5).bfloat16()
model["int8"] = torch.tensor([-128, 0, 127], dtype=torch.int8)
model["flags"] = torch.tensor([True, False, True])
model["counter"] = torch.tensor(7)  # 0-dim int64
model["double"] = torch.tensor([1.5, -2.25], dtype=torch.float64)
checkpoint = {
    "model": model,
    "epoch": 3,
    "lr": np.float64(0.5),  # numpy.core.multiarray.scalar + numpy.dtype + _codecs.encode
    "steps": np.int64(12),
    "tags": ["a", ("b", 2)],
    "optimizer": {"state": {0: {"momentum_buffer": torch.ones(2)}}, "param_groups": [{"lr": 0.1, "params": [0]}]},
}
torch.save(checkpoint, "torch213.pth")
torch.save(checkpoint, "torch213_legacy.pth", _use_new_zipfile_serialization=False)

# The same entries again with zip64 records everywhere and no alignment padding (Python's zipfile does not pad),
# so that the reader's zip64 parsing and its copy of misaligned storages run on a real file.
zipfile.ZIP64_LIMIT = 0
zipfile.ZIP_FILECOUNT_LIMIT = 0
with zipfile.ZipFile("torch213.pth") as src, zipfile.ZipFile("torch213_zip64.pth", "w") as dst:
    for info in src.infolist():
        with dst.open(info.filename, "w", force_zip64=True) as out:
            out.write(src.read(info.filename))

save_file({"half": model["half"], "base": base.contiguous(), "flags": model["flags"], "counter": model["counter"]},
          "safetensors08.safetensors", metadata={"format": "pt", "source": "make_fixtures.py"})
