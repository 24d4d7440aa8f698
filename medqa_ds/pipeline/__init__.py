"""The build pipeline, one module per step: read → parse → dedupe → split → write → card → manifest."""

from .build import BuildOptions, BuildResult, build

__all__ = ["BuildOptions", "BuildResult", "build"]
