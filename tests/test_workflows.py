"""The CI workflows shipped in .github/workflows call what the project really has."""

from __future__ import annotations

import re
import tomllib

import yaml

from conftest import ROOT

WORKFLOWS = ROOT / ".github" / "workflows"


def _load(name: str) -> dict:
    data = yaml.safe_load((WORKFLOWS / name).read_text())
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as true
    return data


def _make_targets() -> set[str]:
    return set(re.findall(r"^([a-z]+):", (ROOT / "Makefile").read_text(), flags=re.M))


def test_validate_runs_on_every_push_and_uses_the_readme_commands():
    data = _load("validate.yml")
    assert "push" in data["on"]
    runs = [s.get("run", "") for s in data["jobs"]["validate"]["steps"]]
    assert "make test" in runs and "make dataset" in runs
    assert {"test", "dataset"} <= _make_targets()


def test_release_runs_on_version_tags_with_the_token_from_a_secret():
    data = _load("release.yml")
    assert data["on"]["push"]["tags"] == ["v*"]
    step = next(s for s in data["jobs"]["release"]["steps"] if s.get("name") == "Release")
    assert step["env"]["HF_TOKEN"] == "${{ secrets.HF_TOKEN }}"
    assert step["run"].startswith("make release ") and "release" in _make_targets()
    assert "GITHUB_REF_NAME#v" in step["run"]


def test_wheels_are_built_on_version_tags_for_every_platform_by_maturin():
    data = _load("wheels.yml")
    assert data["on"]["push"]["tags"] == ["v*"]
    job = data["jobs"]["wheel"]
    platforms = {(m["os"].split("-")[0], m["target"]) for m in job["strategy"]["matrix"]["include"]}
    assert {("ubuntu", "x86_64"), ("ubuntu", "aarch64"), ("macos", "aarch64"), ("windows", "x64")} <= platforms
    build = next(s for s in job["steps"] if s.get("name") == "Build")
    assert build["uses"].startswith("PyO3/maturin-action@") and "--release" in build["with"]["args"]
    cargo = tomllib.loads((ROOT / "rust" / "Cargo.toml").read_text())
    assert "abi3-py311" in cargo["dependencies"]["pyo3"]["features"]  # one wheel per platform, any CPython >= 3.11
