"""The build pipeline, one module per step: read → parse (chunk) → dedupe, group, split (index) → write →
card → manifest."""

from .build import BuildOptions, BuildResult, build

__all__ = ["BuildOptions", "BuildResult", "build"]
