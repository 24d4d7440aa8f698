"""medqa_ds: doctor-answer pages → validated records → a versioned Hugging Face dataset."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as _version

from .errors import ParseError
from .parse import parse, parse_all

try:
    __version__ = _version("medqa-ds")
except PackageNotFoundError:  # running from a checkout that was never installed
    __version__ = "0.0.0+unknown"

__all__ = ["ParseError", "__version__", "parse", "parse_all"]
