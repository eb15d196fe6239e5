"""Text to vectors, for search by meaning.

The model is WordLlama's ``l2_supercat`` (MIT licence): static token
embeddings, a table of 32,000 tokens by 256 dimensions (16 MB in float16),
trained so that the mean of a text's token vectors places texts about the same
thing close together. Its weights and tokenizer ship inside the ``wordllama``
package, and are read straight from the installed package's folder: nothing is
downloaded, and the package's own loader (which can fetch other models from a
hub) is never called. The table is mapped from its file, not read into memory
(``mapped_table``): a web process holds only the pages of the rows its queries
use, 16 MB less than the whole table, and the processes share them. A text's
vector is the mean of its tokens' rows, cut to DIMENSIONS (the model was trained
so that its first dimensions carry the most) and scaled to length 1, exactly as
``WordLlama.embed`` computes it; a query takes about a millisecond on one core.
"""

import importlib.util
import json
import math
import threading
from functools import cache
from pathlib import Path

import numpy as np
from tokenizers import Tokenizer

PACKAGE = "wordllama"
WEIGHTS = "weights/l2_supercat_256.safetensors"
TOKENIZER = "tokenizers/l2_supercat_tokenizer_config.json"
DIMENSIONS = 256
# Which vectors a stored one may be compared with: another model, another size.
MODEL = f"wordllama-0.4-l2_supercat-{DIMENSIONS}"
# A case study's text is long; past this many tokens the mean hardly moves.
MAX_TOKENS = 4096

_lock = threading.Lock()


def _package_folder() -> Path:
    # find_spec locates the installed package without importing (and so running) it.
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(f"The {PACKAGE} package, which ships the embedding weights, is not installed.")
    return Path(next(iter(spec.submodule_search_locations)))


def mapped_table(path: Path) -> np.ndarray:
    """The one tensor of a safetensors file, mapped from the file rather than read: a
    process holds in memory only the pages of the rows its texts use (a search's few
    tokens; about 16 MB less a web process than the whole table), and processes share
    them. The format: an 8-byte length, a JSON header of that length, the raw data."""
    with path.open("rb") as file:
        length = int.from_bytes(file.read(8), "little")
        header = json.loads(file.read(length))
    (tensor,) = (value for key, value in header.items() if key != "__metadata__")
    start, end = tensor["data_offsets"]
    dtype = np.dtype(SAFETENSORS_TYPES[tensor["dtype"]])
    shape = tuple(tensor["shape"])
    if end - start != dtype.itemsize * math.prod(shape):
        raise ValueError(f"{path}: the header's size for the tensor does not match its shape")
    return np.memmap(path, dtype=dtype, mode="r", offset=8 + length + start, shape=shape)


SAFETENSORS_TYPES = {"F16": "<f2", "F32": "<f4"}


@cache
def _model() -> tuple[np.ndarray, Tokenizer]:
    folder = _package_folder()
    table = mapped_table(folder / WEIGHTS)
    tokenizer = Tokenizer.from_file(str(folder / TOKENIZER))
    tokenizer.no_padding()
    tokenizer.enable_truncation(MAX_TOKENS)
    # float16 as shipped; a text's few rows are widened when used.
    return table[:, :DIMENSIONS], tokenizer


def model() -> tuple[np.ndarray, Tokenizer]:
    """The token table and the tokenizer, loaded once per process."""
    with _lock:
        return _model()


def embed(texts: list[str]) -> np.ndarray:
    """One row per text, float32, each of length 1 (all zeros for a text with no tokens)."""
    table, tokenizer = model()
    vectors = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
    for row, encoding in enumerate(tokenizer.encode_batch(list(texts), add_special_tokens=False)):
        if encoding.ids:
            ids = np.clip(np.asarray(encoding.ids), 0, len(table) - 1)
            vectors[row] = table[ids].astype(np.float32).mean(axis=0)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return np.divide(vectors, norms, out=vectors, where=norms > 0)


def embed_one(text: str) -> np.ndarray:
    return embed([text])[0]
