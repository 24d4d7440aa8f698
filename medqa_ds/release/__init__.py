"""Versioned releases: diff two builds, keep the version contract, publish atomically to the Hub."""

from .diff import DatasetDiff, diff_folders
from .versioning import ContractError, check_version

__all__ = ["ContractError", "DatasetDiff", "check_version", "diff_folders"]
